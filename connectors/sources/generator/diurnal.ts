/**
 * The daily traffic shape of an e-commerce site: a trough around 04:00, a lunch bump and
 * an evening peak around 20:00 (in the user's local time; UTC here). `shape(t)` has mean 1
 * over a day, so a mean rate times the shape gives the rate at time t.
 */
const HOURLY = [0.45, 0.32, 0.24, 0.2, 0.19, 0.24, 0.4, 0.65, 0.9, 1.05, 1.12, 1.18, 1.28, 1.22, 1.15, 1.12, 1.15, 1.25, 1.45, 1.65, 1.78, 1.7, 1.35, 0.86];
const MEAN = HOURLY.reduce((a, b) => a + b, 0) / HOURLY.length;
const HOUR = 3_600_000;

export function diurnalShape(epochMs: number): number {
  const h = (((epochMs % 86_400_000) + 86_400_000) % 86_400_000) / HOUR;
  const i = Math.floor(h);
  const f = h - i;
  const a = HOURLY[i] as number;
  const b = HOURLY[(i + 1) % 24] as number;
  return (a + (b - a) * f) / MEAN;
}

/** The largest value diurnalShape takes: the envelope for thinning. */
export const DIURNAL_MAX = Math.max(...HOURLY) / MEAN;
