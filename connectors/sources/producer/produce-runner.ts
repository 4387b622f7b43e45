import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../../runtime/time/clock.ts';
import { LINEAGE_HEADERS, type TopicSpec } from '../../../topologies/topics.ts';
import type { FaultedRecord } from '../generator/faults.ts';
import type { RecordSink } from '../kafka/record-sink.ts';
import type { EventSerializer } from '../serde/event-serializer.ts';
import { FAULT_CODES, type RecordSource } from './record-source.ts';

export interface ProduceRunOptions {
  /** Encoded records (see InlineSource and WorkerSource). */
  source: RecordSource;
  /** The topics the source's topic indexes refer to, in order. */
  topics: readonly TopicSpec[];
  /** For the per-topic headers (the schema id of Avro values). */
  serializer: EventSerializer;
  sink: RecordSink;
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
}

export interface ProduceStats {
  sent: number;
  acked: number;
  elapsedMs: number;
  byFault: Record<FaultedRecord['fault'], number>;
  stoppedBy: 'count' | 'duration' | 'signal' | 'running';
}

/**
 * Drives a record source into Kafka. With a finite `speed`, record i leaves when the wall
 * clock has advanced (arrival_i - arrival_0) / speed since the start, so the diurnal rate
 * shows in the wall-clock rate; with `Infinity` it only waits for the broker. Records of one
 * millisecond share their header object (fewer allocations).
 */
export async function runProducer(o: ProduceRunOptions): Promise<ProduceStats> {
  const started = o.clock.now();
  const stats: ProduceStats = { sent: 0, acked: 0, elapsedMs: 0, byFault: { none: 0, late: 0, 'late-beyond-48h': 0, duplicate: 0, malformed: 0 }, stoppedBy: 'running' };
  const base = o.topics.map((t) => ({ ...o.serializer.headers(t), [LINEAGE_HEADERS.source]: 'generator', [LINEAGE_HEADERS.producer]: o.producerId }));
  const stamped = o.topics.map(() => ({ at: -1, headers: {} as Record<string, string> }));
  let simStart: number | undefined;
  let lastProgress = started;
  const progressEvery = o.progressEveryMs ?? 5000;
  const stop = (): boolean => {
    if (o.signal?.aborted) stats.stoppedBy = 'signal';
    else if (o.count !== undefined && stats.sent >= o.count) stats.stoppedBy = 'count';
    else if (o.durationMs !== undefined && o.clock.now() - started >= o.durationMs) stats.stoppedBy = 'duration';
    return stats.stoppedBy !== 'running';
  };
  try {
    outer: for (;;) {
      if (stop()) break;
      const batch = await o.source.next();
      const data = Buffer.from(batch.data.buffer, batch.data.byteOffset, batch.data.byteLength);
      for (let i = 0; i < batch.keys.length; i++) {
        if (stop()) break outer;
        const arrival = batch.arrivals[i]!;
        simStart ??= arrival;
        if (Number.isFinite(o.speed)) {
          const ahead = started + (arrival - simStart) / o.speed - o.clock.now();
          if (ahead > 2) await sleep(Math.min(ahead, 1000), undefined, { signal: o.signal }).catch(() => undefined);
        }
        const t = batch.topics[i]!;
        const now = o.clock.now();
        const s = stamped[t]!;
        if (s.at !== now) {
          s.at = now;
          s.headers = { ...base[t], [LINEAGE_HEADERS.ingestTime]: String(now) };
        }
        const value = batch.values ? batch.values[i]! : data.subarray(i === 0 ? 0 : batch.ends[i - 1]!, batch.ends[i]!);
        await o.sink.write(o.topics[t]!.name, { key: batch.keys[i]!, value, headers: s.headers });
        stats.sent++;
        stats.byFault[FAULT_CODES[batch.faults[i]!]!]++;
        if (o.onProgress && now - lastProgress >= progressEvery) {
          lastProgress = now;
          o.onProgress({ ...stats, acked: o.sink.acked, elapsedMs: now - started });
        }
      }
    }
    await o.sink.flush();
  } finally {
    await o.source.close();
  }
  return { ...stats, acked: o.sink.acked, elapsedMs: o.clock.now() - started };
}
