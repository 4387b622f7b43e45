const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "500ms", "30s", "10m", "2h", "1d" (or a bare number of ms) to milliseconds. */
export function parseDuration(text: string, name = 'duration'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new RangeError(`${name}: "${text}" is not a duration like 500ms, 30s, 10m, 2h or 1d`);
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 'ms']!);
}

/** A number option within [min, max], with a message naming the option. */
export function parseNumber(text: string, name: string, min = -Infinity, max = Infinity): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new RangeError(`${name}: "${text}" is not a number in [${min}, ${max}]`);
  }
  return n;
}
