/** What a progress bar shows. */
export interface ProgressState {
  label: string;
  done: number;
  total: number;
  rows: number;
  rejected: number;
  elapsedMs: number;
}

/**
 * A one-line progress bar: `[#####.....]  45% 243,000 rows (12 rejected) 35,000 rows/s ETA 9s`.
 * On a terminal it redraws in place; otherwise (CI, pipes) it prints a line at most every
 * `everyMs`. `done`/`total` are in any unit (bytes here).
 */
export class ProgressBar {
  private last = -Infinity;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly everyMs = out.isTTY ? 200 : 5000,
  ) {}

  update(s: ProgressState, force = false): void {
    if (!force && s.elapsedMs - this.last < this.everyMs) return;
    this.last = s.elapsedMs;
    const text = render(s);
    if (this.out.isTTY) this.out.write(`\r${text}\x1b[K`);
    else this.out.write(`${text}\n`);
  }

  end(s: ProgressState): void {
    this.update(s, true);
    if (this.out.isTTY) this.out.write('\n');
  }
}

export function render(s: ProgressState): string {
  const ratio = s.total > 0 ? Math.min(1, s.done / s.total) : 0;
  const width = 24;
  const filled = Math.round(ratio * width);
  const rate = s.elapsedMs > 0 ? (s.rows * 1000) / s.elapsedMs : 0;
  const eta = ratio > 0 && ratio < 1 ? ` ETA ${Math.ceil(((1 - ratio) / ratio) * (s.elapsedMs / 1000))}s` : '';
  const pct = `${Math.floor(ratio * 100)}`.padStart(3);
  return `${s.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% ${s.rows.toLocaleString('en-US')} rows (${s.rejected.toLocaleString('en-US')} rejected) ${Math.round(rate).toLocaleString('en-US')} rows/s${eta}`;
}
