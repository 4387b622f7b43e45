import type { Prng } from './prng.ts';

/**
 * Samples ranks 0..n-1 with P(k) proportional to 1/(k+1)^s (Zipf's law): a few products
 * get most of the traffic. Inverse-CDF over a precomputed table, O(log n) per draw.
 */
export class ZipfSampler {
  private readonly cdf: Float64Array;

  constructor(readonly n: number, readonly s = 1.07) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError('ZipfSampler needs n >= 1');
    this.cdf = new Float64Array(n);
    let total = 0;
    for (let k = 0; k < n; k++) this.cdf[k] = total += 1 / Math.pow(k + 1, s);
    for (let k = 0; k < n; k++) this.cdf[k] = (this.cdf[k] as number) / total;
  }

  sample(prng: Prng): number {
    const x = prng.float();
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cdf[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
