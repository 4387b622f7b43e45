import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import type { Row } from '../schema/avro-values.ts';

/**
 * Reads a Parquet data file back into the Row form the writer takes: timestamps as
 * bigint µs, dates as days, decimals as unscaled bigint (hyparquet would give floats,
 * so the DECIMAL annotation is stripped before reading and the raw values are
 * converted here), strings as strings. Rows come back in file order, so the index of
 * a row is its position (for position deletes).
 */
export async function readParquetRows(bytes: Uint8Array, columns?: string[]): Promise<Row[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(file);
  const decimals = new Set<string>();
  for (const el of metadata.schema) {
    if (el.converted_type === 'DECIMAL' || el.logical_type?.type === 'DECIMAL') {
      decimals.add(el.name);
      delete el.converted_type;
      delete el.logical_type;
    }
  }
  const rows = (await parquetReadObjects({
    file,
    metadata,
    ...(columns ? { columns } : {}),
    utf8: true,
    parsers: {
      timestampFromMicroseconds: (v: bigint) => v,
      timestampFromMilliseconds: (v: bigint) => v * 1000n,
      timestampFromNanoseconds: (v: bigint) => v / 1000n,
      dateFromDays: (d: number) => d,
      uuidFromBytes: (b: Uint8Array) => b,
    },
  })) as Row[];
  if (decimals.size === 0) return rows;
  const fix = (o: Row): void => {
    for (const [k, v] of Object.entries(o)) {
      if (decimals.has(k)) o[k] = toUnscaled(v);
      else if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
        if (Array.isArray(v)) v.forEach((x) => x && typeof x === 'object' && fix(x as Row));
        else fix(v as Row);
      }
    }
  };
  rows.forEach(fix);
  return rows;
}

function toUnscaled(v: unknown): unknown {
  if (v === null || v === undefined) return v;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  if (v instanceof Uint8Array) {
    let n = 0n;
    for (const b of v) n = (n << 8n) | BigInt(b);
    return v.length && v[0]! & 0x80 ? n - (1n << BigInt(v.length * 8)) : n;
  }
  return v;
}
