import { describe, expect, it } from 'vitest';
import { RecordGenerator } from '../../../../connectors/sources/generator/record-generator.ts';
import { JsonEventSerializer } from '../../../../connectors/sources/serde/json-serializer.ts';
import { schemaViolation } from '../../../../connectors/sources/serde/avro-types.ts';
import { Topics } from '../../../../topologies/topics.ts';
import { Prng } from '../../../../connectors/sources/generator/prng.ts';
import type { FaultedRecord } from '../../../../connectors/sources/generator/faults.ts';
import type { ClickstreamEvent } from '../../../../schemas/generated/index.ts';

/** The generated event of a record (this test only asks for clickstream). */
const ev = (r: FaultedRecord): ClickstreamEvent => r.record.value as ClickstreamEvent;

const HOUR = 3_600_000;
const faults = { jitterMs: 5_000, lateFraction: 0.05, beyondLatenessShare: 0.3, duplicateFraction: 0.03, malformedFraction: 0.02 };

describe('fault injection', () => {
  const n = 60_000;
  const out = new RecordGenerator({ seed: 9, startTime: Date.UTC(2026, 0, 5), rate: 500, kinds: ['clickstream'], faults }).take(n);

  it('produces the configured fractions of late, beyond-48h, duplicate and malformed records (±15% relative)', () => {
    // Measured from the records themselves, not from the generator's labels.
    const seen = new Set<string>();
    let late = 0, beyond = 0, dup = 0, malformed = 0, originals = 0;
    const json = new JsonEventSerializer();
    const noise = new Prng(1, 'n');
    for (const r of out) {
      const v = ev(r);
      if (r.malformed) {
        const bytes = json.malformed(Topics.bronze.clickstream, v, r.malformed, () => noise.float());
        let parsed: unknown = undefined;
        try { parsed = JSON.parse(bytes.toString('utf8')); } catch { /* unparseable */ }
        expect(parsed === undefined || schemaViolation('clickstream-event', parsed) !== null).toBe(true);
        malformed++;
        continue;
      }
      if (seen.has(v.event_id)) { dup++; continue; }
      seen.add(v.event_id);
      originals++;
      const lag = r.arrival - v.event_time;
      expect(lag).toBeGreaterThanOrEqual(0);
      if (lag > 48 * HOUR) beyond++;
      if (lag > 5 * 60_000) late++;
    }
    const within = (actual: number, expected: number): void => {
      expect(actual).toBeGreaterThan(expected * 0.85);
      expect(actual).toBeLessThan(expected * 1.15);
    };
    within(malformed / n, faults.malformedFraction);
    within(late / originals, faults.lateFraction);
    within(beyond / late, faults.beyondLatenessShare);
    within(dup / originals, faults.duplicateFraction);
  });

  it('jitter makes events out of order, within the jitter bound', () => {
    const onTime = out.filter((r) => !r.malformed && r.arrival - ev(r).event_time <= 5_000);
    let inversions = 0;
    for (let i = 1; i < onTime.length; i++) if (ev(onTime[i]!).event_time < ev(onTime[i - 1]!).event_time) inversions++;
    expect(inversions).toBeGreaterThan(onTime.length / 100);
  });

  it('a duplicate is byte-identical to its original', () => {
    const json = new JsonEventSerializer();
    const first = new Map<string, string>();
    let checked = 0;
    for (const r of out) {
      if (r.malformed) continue;
      const text = json.serialize(Topics.bronze.clickstream, ev(r)).toString();
      const prev = first.get(ev(r).event_id);
      if (prev !== undefined) { expect(text).toBe(prev); checked++; } else first.set(ev(r).event_id, text);
    }
    expect(checked).toBeGreaterThan(100);
  });
});
