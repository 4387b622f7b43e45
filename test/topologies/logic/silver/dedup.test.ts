import { describe, expect, it } from 'vitest';
import { Deduplicator, isRepeat } from '../../../../topologies/logic/silver/dedup.ts';
import { StreamTimeTracker } from '../../../../topologies/logic/silver/lateness.ts';

const H = 3_600_000;

describe('dedup by event id within 48 h', () => {
  it('drops repeats within 48 h (inclusive) and keeps them after', () => {
    const d = new Deduplicator();
    expect(d.accept('a', 0)).toBe(true);
    expect(d.accept('a', 0)).toBe(false);
    expect(d.accept('a', 48 * H)).toBe(false);
    expect(d.accept('b', 10 * H)).toBe(true);
    expect(d.accept('a', 48 * H + 1)).toBe(true); // more than 48 h after the kept one
    expect(d.duplicates).toBe(2);
    expect(isRepeat(undefined, 5)).toBe(false);
    expect(isRepeat(100 * H, 53 * H)).toBe(true);
  });

  it('forgets ids older than twice the window behind stream time', () => {
    const d = new Deduplicator();
    d.accept('old', 0);
    d.accept('new', 90 * H);
    d.expire(96 * H + 1);
    expect(d.size).toBe(1);
    expect(d.accept('new', 91 * H)).toBe(false);
  });
});

describe('lateness (48 h allowed)', () => {
  it('excludes events more than 48 h behind stream time; late events do not advance it', () => {
    const s = new StreamTimeTracker();
    expect(s.observe(100 * H)).toBe(true);
    expect(s.observe(52 * H)).toBe(true); // exactly 48 h behind
    expect(s.observe(52 * H - 1)).toBe(false);
    expect(s.observe(120 * H)).toBe(true);
    expect(s.streamTime).toBe(120 * H);
    expect(s.observe(71 * H)).toBe(false);
  });
});
