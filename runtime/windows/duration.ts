import { ConfigError } from '../errors/runtime-errors.ts';

/** A duration as milliseconds or text: `'500ms'`, `'30s'`, `'1m'`, `'48h'`, `'7d'`. */
export type Duration = number | string;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of `d`; throws ConfigError naming `what` for a negative or malformed value. */
export function toMillis(d: Duration, what: string): number {
  let ms: number;
  if (typeof d === 'number') ms = d;
  else {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(d);
    if (m === null) throw new ConfigError(`${what}: cannot read duration '${d}' (use e.g. 500ms, 30s, 1m, 48h, 7d)`);
    ms = Number(m[1]) * UNITS[m[2]!]!;
  }
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new ConfigError(`${what} must be a whole, non-negative number of milliseconds, got ${String(d)}`);
  return ms;
}
