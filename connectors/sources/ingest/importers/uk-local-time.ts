const HOUR = 3_600_000;

/** Epoch ms of the last Sunday of a month at 01:00 UTC, when UK clocks change. */
function lastSundayAt1Utc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

const cache = new Map<number, readonly [number, number]>();

/**
 * "YYYY-MM-DD HH:MM[:SS]" in UK local time (GMT, or BST from the last Sunday of March to
 * the last Sunday of October, changing at 01:00 UTC, the EU rule the UK has used since
 * 1996) to epoch ms UTC; null when the text is not such a time. Times in the skipped hour
 * are read as BST; times in the repeated hour are read as BST (the first occurrence).
 */
export function ukLocalToUtc(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(asUtc).getUTCDate() !== d) return null;
  let bst = cache.get(y);
  if (!bst) cache.set(y, (bst = [lastSundayAt1Utc(y, 2), lastSundayAt1Utc(y, 9)]));
  const asBst = asUtc - HOUR;
  return asBst >= bst[0] - HOUR && asBst < bst[1] ? asBst : asUtc;
}
