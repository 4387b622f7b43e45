const MICROS_PER_DAY = 86_400_000_000n;
const MICROS_PER_HOUR = 3_600_000_000n;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Days since 1970-01-01 of a date (days) or timestamp (µs) value. */
function days(value: unknown, sourceType: string): number {
  return sourceType === 'date' ? Number(value) : Number(floorDiv(value as bigint, MICROS_PER_DAY));
}

function civil(day: number): { year: number; month: number } {
  const d = new Date(day * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() };
}

/**
 * Applies a partition transform (spec, "Partition Transforms") to a value in the Row
 * form: year = years since 1970, month = months since 1970-01, day = days since
 * 1970-01-01, hour = hours since the epoch. Null stays null.
 */
export function applyTransform(transform: string, sourceType: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (transform) {
    case 'identity': return value;
    case 'day': return days(value, sourceType);
    case 'hour': return Number(floorDiv(value as bigint, MICROS_PER_HOUR));
    case 'month': {
      const c = civil(days(value, sourceType));
      return (c.year - 1970) * 12 + c.month;
    }
    case 'year': return civil(days(value, sourceType)).year - 1970;
    default: throw new Error(`unsupported transform ${transform}`);
  }
}

/** The human-readable path segment of a partition value (as Java writes it). */
export function partitionPathValue(transform: string, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  const iso = (ms: number) => new Date(ms).toISOString();
  switch (transform) {
    case 'day': return iso(Number(value) * 86_400_000).slice(0, 10);
    case 'hour': return iso(Number(value) * 3_600_000).slice(0, 13).replace('T', '-');
    case 'month': return `${1970 + Math.floor(Number(value) / 12)}-${String((Number(value) % 12) + 1).padStart(2, '0')}`;
    case 'year': return String(1970 + Number(value));
    default: return encodeURIComponent(value instanceof Uint8Array ? Buffer.from(value).toString('hex') : String(value));
  }
}
