import { describe, expect, it } from 'vitest';
import { render } from '../../../../connectors/sources/ingest/progress-bar.ts';

describe('progress bar', () => {
  it('shows the share done, the rows, the rejects, the rate and the time left', () => {
    expect(render({ label: 'f.csv', done: 250, total: 1000, rows: 30_000, rejected: 12, elapsedMs: 2000 })).toBe(
      'f.csv [######..................]  25% 30,000 rows (12 rejected) 15,000 rows/s ETA 6s',
    );
    expect(render({ label: 'f.csv', done: 1000, total: 1000, rows: 541_909, rejected: 0, elapsedMs: 10_000 })).toBe(
      'f.csv [########################] 100% 541,909 rows (0 rejected) 54,191 rows/s',
    );
  });
});
