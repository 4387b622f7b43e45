import { decimalOf, type IcebergType } from '../schema/types.ts';

/**
 * Single-value binary serialization (spec, Appendix D), used for column bounds in
 * manifests and partition bounds in manifest lists:
 *
 *   boolean            1 byte, 0 or 1
 *   int, date          4 bytes little-endian
 *   long, time,
 *   timestamp(tz)      8 bytes little-endian (µs)
 *   float / double     4 / 8 bytes IEEE 754 little-endian
 *   string             UTF-8 bytes
 *   uuid, fixed,binary the bytes as they are
 *   decimal(P, S)      unscaled value, two's complement big-endian, fewest bytes
 *
 * Returns undefined for types without a serialization (nested types).
 */
export function toSingleValue(type: IcebergType, v: unknown): Buffer | undefined {
  if (typeof type !== 'string' || v === null || v === undefined) return undefined;
  const dec = decimalOf(type);
  if (dec) return decimalBytes(v as bigint);
  switch (type) {
    case 'boolean': return Buffer.from([v ? 1 : 0]);
    case 'int':
    case 'date': {
      const b = Buffer.alloc(4);
      b.writeInt32LE(Number(v));
      return b;
    }
    case 'long':
    case 'time':
    case 'timestamp':
    case 'timestamptz': {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(BigInt(v as bigint));
      return b;
    }
    case 'float': {
      const b = Buffer.alloc(4);
      b.writeFloatLE(v as number);
      return b;
    }
    case 'double': {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(v as number);
      return b;
    }
    case 'string': return Buffer.from(v as string, 'utf8');
    default: return v instanceof Uint8Array ? Buffer.from(v) : undefined;
  }
}

export function decimalBytes(n: bigint): Buffer {
  const bytes: number[] = [];
  let x = n;
  do {
    bytes.unshift(Number(x & 0xffn));
    x >>= 8n;
  } while (!((x === 0n && (bytes[0]! & 0x80) === 0) || (x === -1n && (bytes[0]! & 0x80) !== 0)));
  return Buffer.from(bytes);
}

/**
 * Orders two Row values of the same primitive type (for min/max). Strings compare by
 * UTF-16 code units, which matches UTF-8 byte order except between astral characters
 * and U+E000..U+FFFF; bounds are only used for pruning, and such strings are rare keys.
 */
export function compareValues(a: unknown, b: unknown): number {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b);
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}
