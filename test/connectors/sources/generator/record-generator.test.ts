import { describe, expect, it } from 'vitest';
import { RecordGenerator, type GeneratorOptions } from '../../../../connectors/sources/generator/record-generator.ts';
import { schemaViolation } from '../../../../connectors/sources/serde/avro-types.ts';
import type { FaultedRecord } from '../../../../connectors/sources/generator/faults.ts';
import type { ClickstreamEvent, SalesOrder } from '../../../../schemas/generated/index.ts';

/** The generated event of a record (these tests only ask for clickstream and sales). */
const ev = (r: FaultedRecord): ClickstreamEvent | SalesOrder => r.record.value as ClickstreamEvent | SalesOrder;

const START = Date.UTC(2026, 2, 14, 9, 0, 0);
const base: GeneratorOptions = { seed: 42, startTime: START, rate: 200, kinds: ['clickstream', 'sales'] };

describe('RecordGenerator', () => {
  it('is deterministic for a seed and start time', () => {
    const a = new RecordGenerator(base).take(5000);
    const b = new RecordGenerator(base).take(5000);
    expect(b).toEqual(a);
    const other = new RecordGenerator({ ...base, seed: 43 }).take(5000);
    expect(other.map((r) => ev(r).event_id)).not.toEqual(a.map((r) => ev(r).event_id));
  });

  it('keeps the clean stream unchanged when faults are switched on', () => {
    const clean = new RecordGenerator(base).take(3000).map((r) => ev(r).event_id);
    const dirty = new RecordGenerator({ ...base, faults: { lateFraction: 0.1, duplicateFraction: 0.05 } })
      .take(4000)
      .filter((r) => r.fault !== 'duplicate')
      .map((r) => ev(r).event_id);
    expect(dirty.slice(0, 3000)).toEqual(clean);
  });

  it('emits valid records in true-time order, starting at the start time, with unique event ids', () => {
    const records = new RecordGenerator(base).take(20_000);
    expect(records[0]!.arrival).toBeGreaterThanOrEqual(START);
    const ids = new Set<string>();
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (i > 0) expect(r.arrival).toBeGreaterThanOrEqual(records[i - 1]!.arrival);
      expect(ev(r).event_time).toBe(r.arrival);
      expect(ids.has(ev(r).event_id)).toBe(false);
      ids.add(ev(r).event_id);
      expect(schemaViolation(r.record.kind === 'clickstream' ? 'clickstream-event' : 'sales-order', ev(r))).toBeNull();
    }
  });

  it('only emits the kinds asked for', () => {
    const sales = new RecordGenerator({ ...base, kinds: ['sales'], rate: 5 }).take(300);
    expect(new Set(sales.map((r) => r.record.kind))).toEqual(new Set(['sales']));
  });
});
