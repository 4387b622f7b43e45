import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../../runtime/time/clock.ts';
import { LINEAGE_HEADERS, type TopicSpec } from '../../../topologies/topics.ts';
import type { FaultedRecord } from '../generator/faults.ts';
import { Prng } from '../generator/prng.ts';
import type { GeneratedKind, RecordGenerator } from '../generator/record-generator.ts';
import type { RecordSink } from '../kafka/record-sink.ts';
import { topicKey } from '../kafka/topic-key.ts';
import type { EventSerializer } from '../serde/event-serializer.ts';

export interface ProduceRunOptions {
  generator: RecordGenerator;
  serializer: EventSerializer;
  sink: RecordSink;
  /** Where each kind goes (every kind the generator emits must have a topic). */
  topics: Readonly<Partial<Record<GeneratedKind, TopicSpec>>>;
  clock: Clock;
  /** Simulated ms per wall ms; `Infinity` sends as fast as the broker takes it. */
  speed: number;
  /** Stop after this many records (duplicates and malformed ones count). */
  count?: number;
  /** Stop after this much wall time. */
  durationMs?: number;
  /** Aborting stops cleanly: buffered records are flushed, the stats are returned. */
  signal?: AbortSignal;
  /** `<client id>@<host>`, for the lineage header. */
  producerId: string;
  progressEveryMs?: number;
  onProgress?: (stats: ProduceStats) => void;
  /** Deterministic seed of the malformed payloads' random bytes. */
  seed: number;
}

export interface ProduceStats {
  sent: number;
  acked: number;
  elapsedMs: number;
  byFault: Record<FaultedRecord['fault'], number>;
  stoppedBy: 'count' | 'duration' | 'signal' | 'running';
}

/**
 * Drives a generator into Kafka. With a finite `speed`, record i leaves when the wall clock
 * has advanced (arrival_i - arrival_0) / speed since the start, so the diurnal rate shows in
 * the wall-clock rate; with `Infinity` it only waits for the broker.
 */
export async function runProducer(o: ProduceRunOptions): Promise<ProduceStats> {
  const started = o.clock.now();
  const noise = new Prng(o.seed, 'malformed-bytes');
  const random = (): number => noise.float();
  const stats: ProduceStats = { sent: 0, acked: 0, elapsedMs: 0, byFault: { none: 0, late: 0, 'late-beyond-48h': 0, duplicate: 0, malformed: 0 }, stoppedBy: 'running' };
  const headersFor = new Map<string, Record<string, string>>();
  // Headers with the ingest time, shared by the records of one millisecond (fewer objects).
  const stampedAt = new Map<string, { at: number; headers: Record<string, string> }>();
  const stamped = (topic: string, base: Record<string, string>): Record<string, string> => {
    const now = o.clock.now();
    let s = stampedAt.get(topic);
    if (!s || s.at !== now) stampedAt.set(topic, (s = { at: now, headers: { ...base, [LINEAGE_HEADERS.ingestTime]: String(now) } }));
    return s.headers;
  };
  let simStart: number | undefined;
  let lastProgress = started;
  const progressEvery = o.progressEveryMs ?? 5000;
  for (;;) {
    if (o.signal?.aborted) stats.stoppedBy = 'signal';
    else if (o.count !== undefined && stats.sent >= o.count) stats.stoppedBy = 'count';
    else if (o.durationMs !== undefined && o.clock.now() - started >= o.durationMs) stats.stoppedBy = 'duration';
    if (stats.stoppedBy !== 'running') break;
    const item = o.generator.next();
    simStart ??= item.arrival;
    if (Number.isFinite(o.speed)) {
      const ahead = started + (item.arrival - simStart) / o.speed - o.clock.now();
      if (ahead > 2) await sleep(Math.min(ahead, 1000), undefined, { signal: o.signal }).catch(() => undefined);
    }
    const topic = o.topics[item.record.kind];
    if (!topic) throw new Error(`runProducer: no topic for ${item.record.kind} records`);
    const value = item.malformed
      ? o.serializer.malformed(topic, item.record.value, item.malformed, random)
      : o.serializer.serialize(topic, item.record.value);
    let base = headersFor.get(topic.name);
    if (!base) headersFor.set(topic.name, (base = { ...o.serializer.headers(topic), [LINEAGE_HEADERS.source]: 'generator', [LINEAGE_HEADERS.producer]: o.producerId }));
    const key = topicKey(topic.schema, item.record.value as unknown as Record<string, unknown>);
    await o.sink.write(topic.name, { key, value, headers: stamped(topic.name, base) });
    stats.sent++;
    stats.byFault[item.fault]++;
    if (o.onProgress && (stats.sent & 1023) === 0 && o.clock.now() - lastProgress >= progressEvery) {
      lastProgress = o.clock.now();
      o.onProgress({ ...stats, acked: o.sink.acked, elapsedMs: lastProgress - started });
    }
  }
  await o.sink.flush();
  return { ...stats, acked: o.sink.acked, elapsedMs: o.clock.now() - started };
}
