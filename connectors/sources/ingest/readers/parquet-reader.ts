import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer } from 'hyparquet';
import type { SourceFile } from '../source-files.ts';
import type { ReadProgress, SourceRow } from './source-row.ts';

const CHUNK_ROWS = 10_000;

/**
 * Rows of a Parquet file, read with hyparquet through ranged reads (a local file or an
 * S3 object alike), CHUNK_ROWS at a time. `line` is the 1-based row number. INT64 values
 * come back as numbers when they are safe integers and as decimal text otherwise;
 * timestamps as epoch milliseconds.
 */
export async function* readParquet(file: SourceFile, progress: ReadProgress): AsyncGenerator<SourceRow> {
  const buffer: AsyncBuffer = {
    byteLength: file.size,
    slice: async (start, end) => {
      const b = await file.read(start, end ?? file.size);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    },
  };
  const metadata = await parquetMetadataAsync(buffer);
  const total = Number(metadata.num_rows);
  for (let start = 0; start < total; start += CHUNK_ROWS) {
    const end = Math.min(total, start + CHUNK_ROWS);
    const rows = await parquetReadObjects({ file: buffer, metadata, rowStart: start, rowEnd: end });
    progress.bytes = Math.round((file.size * end) / total);
    for (let i = 0; i < rows.length; i++) {
      const fields: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(rows[i] as Record<string, unknown>)) fields[k] = plain(v);
      yield { line: start + i + 1, fields, raw: JSON.stringify(fields) };
    }
  }
}

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.getTime();
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}
