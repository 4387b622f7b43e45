import { afterEach, describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, TopologyTestDriver } from '../../runtime/index.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { GATE_STORES } from '../../topologies/silver-gate.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';

/**
 * The silver gate: malformed records go to the DLQ with the reason, late ones (more than
 * 48 h behind stream time; exactly 48 h is on time) to the late topic, repeats of a kept id
 * within 48 h to the duplicates topic; every output keeps the lineage headers and the
 * bronze timestamp, and accepted events are keyed by their entity.
 */
const T = Date.UTC(2026, 0, 5, 8);
const H = 3_600_000;
let driver: TopologyTestDriver | undefined;
afterEach(async () => driver?.close());

const click = (id: string, time: number) => ({ type: 'click', eventId: id, userId: 'u7', time, eventType: 'view', channel: 'email', page: '/', campaign: null, productId: null });
const lineage = { 'sh-source': 'generator', 'sh-producer': 'test@host', 'sh-ingest-time': '1767600000000', 'sh-schema-id': '0' };

/** The medallion in the test driver, and a function piping one value (JSON unless a string) to bronze. */
async function gate(prefix: string, partitions: number) {
  const config = pipelineConfig({ prefix: `${prefix}.` });
  const builder = new StreamsBuilder();
  buildMedallion(builder, config);
  driver = await TopologyTestDriver.create(builder.build(), { partitions, applicationId: `${prefix}-unit` });
  const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
  const pipe = (v: unknown, ts: number) => bronze.pipeInput('b', Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)), ts, lineage);
  return { config, pipe };
}

describe('silver gate', () => {
  it('routes every bronze record to exactly one of silver, DLQ (with reason), late, duplicates', async () => {
    const { config, pipe } = await gate('gate', 2);
    await pipe(click('k1', T), 1);
    await pipe(click('k1', T + 48 * H), 2); // same id, exactly 48 h apart: a repeat
    await pipe(click('k2', T + 50 * H), 3); // stream time T + 50 h
    await pipe(click('k3', T + 2 * H), 4); // exactly 48 h behind: on time
    await pipe(click('k4', T + 2 * H - 1), 5); // 1 ms more: late
    await pipe('{"type":"click"', 6);
    await pipe({ ...click('k5', T + 50 * H), currency: 'XXX', type: 'order' }, 7);
    const read = <V>(topic: string) => driver!.createOutputTopic(topic, Serdes.String(), Serdes.Json<V>()).readRecordsToList();
    const silver = read<{ eventId: string }>(config.topics.silverEvents);
    expect(silver.map((r) => [r.key, r.value.eventId, r.timestamp])).toEqual([
      ['u7', 'k1', 1],
      ['u7', 'k2', 3],
      ['u7', 'k3', 4],
    ]);
    expect(read<{ eventId: string }>(config.topics.duplicates).map((r) => r.value.eventId)).toEqual(['k1']);
    expect(read<{ eventId: string }>(config.topics.late).map((r) => r.value.eventId)).toEqual(['k4']);
    const dlq = read<{ reason: string; raw: string }>(config.topics.dlq);
    expect(dlq.map((r) => r.value.reason)).toEqual(['value is not JSON', 'orderId is missing or empty']);
    for (const r of [...silver, ...dlq]) expect(r.headers).toMatchObject(lineage);
  });

  it('forgets an id once stream time is 96 h past it, at a sweep paced by stream time (one per hour of it)', async () => {
    const { pipe } = await gate('gate-expiry', 1);
    const kept = async () => {
      const ids: string[] = [];
      for await (const { key } of driver!.getKeyValueStore<string, number[]>(GATE_STORES.kept).all()) ids.push(key);
      return ids.sort();
    };
    const pipeClick = (id: string, time: number) => pipe(click(id, time), time);
    const M = 60_000;
    await pipeClick('k1', T);
    await pipeClick('a', T + 95 * H + 30 * M); // a sweep (95.5 h since the first): k1 is within the horizon
    expect(await kept()).toEqual(['a', 'k1']);
    await pipeClick('b', T + 96 * H + 10 * M); // k1 is now past its horizon, but the last sweep was 40 min ago
    expect(await kept()).toEqual(['a', 'b', 'k1']);
    await pipeClick('c', T + 96 * H + 30 * M + 1); // 1 h and 1 ms after the last sweep: k1 goes
    expect(await kept()).toEqual(['a', 'b', 'c']);
  });
});
