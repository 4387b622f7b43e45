import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../runtime/dsl/streams-builder.ts';
import { DLQ_HEADERS } from '../../../runtime/errors/exception-handlers.ts';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { JsonSerde } from '../../../runtime/serde/json-serde.ts';
import { StringSerde } from '../../../runtime/serde/string-serde.ts';
import { TopologyTestDriver } from '../../../runtime/testing/topology-test-driver.ts';
import { valueFieldTimestampExtractor } from '../../../runtime/time/timestamp-extractors.ts';

const STR = new StringSerde();
const JSON_ = new JsonSerde<unknown>();

async function rig(field: Parameters<typeof valueFieldTimestampExtractor>[0]) {
  const b = new StreamsBuilder();
  b.stream('in', { keySerde: STR, valueSerde: JSON_, timestampExtractor: valueFieldTimestampExtractor(field) }).to(
    'out',
    { keySerde: STR, valueSerde: JSON_ },
  );
  const d = await TopologyTestDriver.create(b.build(), { applicationId: 'ts', logger: silentLogger });
  return {
    d,
    input: d.createInputTopic('in', STR, JSON_),
    out: d.createOutputTopic('out', STR, JSON_),
    dlq: d.createOutputTopic('ts-dlq', STR, STR),
  };
}

describe('valueFieldTimestampExtractor', () => {
  it('takes event time from a field: epoch ms, numeric text or ISO-8601, nested paths', async () => {
    const t = await rig('meta.at');
    await t.input.pipeInput('a', { meta: { at: 1_700_000_000_123 } }, 5);
    await t.input.pipeInput('b', { meta: { at: '1700000000456' } }, 5);
    await t.input.pipeInput('c', { meta: { at: '2026-01-01T00:00:00.250Z' } }, 5);
    expect(t.out.readRecordsToList().map((r) => r.timestamp)).toEqual([
      1_700_000_000_123,
      1_700_000_000_456,
      Date.UTC(2026, 0, 1) + 250,
    ]);
  });

  it('sends a record with a missing or invalid event time to the DLQ with the reason', async () => {
    const t = await rig('at');
    await t.input.pipeInput('missing', { other: 1 }, 5);
    await t.input.pipeInput('bad', { at: 'yesterday' }, 5);
    await t.input.pipeInput('negative', { at: -5 }, 5);
    await t.input.pipeInput('ok', { at: 10 }, 5);
    expect(t.out.readKeyValuesToList().map((r) => r.key)).toEqual(['ok']);
    const dlq = t.dlq.readRecordsToList();
    expect(dlq.map((r) => [r.key, r.headers[DLQ_HEADERS.errorClass], r.headers[DLQ_HEADERS.errorMessage]])).toEqual([
      ['missing', 'InvalidTimestampError', 'record in-0@0: event time at is missing, not a timestamp'],
      ['bad', 'InvalidTimestampError', 'record in-0@1: event time at is string "yesterday", not a timestamp'],
      ['negative', 'InvalidTimestampError', 'record in-0@2: event time at is number -5, not a timestamp'],
    ]);
  });

  it('keeps the record timestamp of a tombstone (no value to read)', async () => {
    const t = await rig('at');
    await t.input.pipeInput('gone', null, 77);
    expect(t.out.readRecord().timestamp).toBe(77);
  });

  it('accepts a function of the value', async () => {
    const t = await rig((v) => (v as { when: number[] }).when[0]);
    await t.input.pipeInput('a', { when: [42] }, 5);
    expect(t.out.readRecord().timestamp).toBe(42);
  });
});
