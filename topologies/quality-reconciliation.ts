import { Serdes, Stores, type KeyValueStore, type KStream, type Processor, type ProcessorContext, type StreamRecord, type StreamsBuilder } from '../runtime/index.ts';
import { reconcileCounts, type LayerCounts } from './logic/quality/reconciliation.ts';
import { minutePartials } from './quality-minute-partials.ts';
import type { AlertRow } from './quality-scores.ts';
import type { PipelineConfig } from './pipeline-config.ts';

/**
 * Cross-layer reconciliation of counts, per minute of ingest time (the bronze record
 * timestamp, which every output of the silver gate keeps): bronze = silver + duplicates +
 * DLQ + late. The five streams are read from their topics, so the check covers what was
 * really written. Outputs reach their topics at different moments, so a minute is checked
 * once it has been quiet for `settleMs` of wall-clock time: its final counts go to the
 * reconciliation topic, and a mismatch to the alerts topic. One partition holds it all.
 */
export type Bucket = keyof LayerCounts;

export interface ReconciliationRow extends LayerCounts {
  readonly windowStart: number;
  readonly balanced: boolean;
}

interface Pending {
  readonly counts: LayerCounts;
  readonly updatedAt: number;
}

export const RECONCILIATION_STORE = 'dq-reconciliation';
const EMPTY: LayerCounts = { bronze: 0, silver: 0, duplicates: 0, dlq: 0, late: 0 };

/**
 * A record of a `dq-recon-<bucket>` repartition topic: the number of records of that bucket
 * in the minute of the key (a partial count per upstream task and commit), or the bucket's
 * name, one record, as the version before the combiner wrote it.
 */
type PartialCount = number | Bucket;

class Reconciler implements Processor<string, PartialCount, string, ReconciliationRow | AlertRow> {
  private context!: ProcessorContext<string, ReconciliationRow | AlertRow>;
  private store!: KeyValueStore<string, Pending>;

  constructor(private readonly settleMs: number) {}

  init(context: ProcessorContext<string, ReconciliationRow | AlertRow>): void {
    this.context = context;
    this.store = context.getStateStore(RECONCILIATION_STORE);
    context.schedule(Math.max(100, Math.floor(this.settleMs / 2)), 'WALL_CLOCK_TIME', (now) => this.check(now));
  }

  process(record: StreamRecord<string, PartialCount>): void {
    const [source, start] = JSON.parse(record.key) as [string, number];
    const [bucket, n] = typeof record.value === 'number' ? [source.slice('recon-'.length) as Bucket, record.value] : [record.value, 1];
    const key = String(start);
    const counts = this.store.get(key)?.counts ?? EMPTY;
    this.store.put(key, { counts: { ...counts, [bucket]: counts[bucket] + n }, updatedAt: this.context.currentSystemTimeMs() });
  }

  private async check(now: number): Promise<void> {
    const due: [string, Pending][] = [];
    for await (const { key, value } of this.store.all()) if (now - value.updatedAt >= this.settleMs) due.push([key, value]);
    for (const [key, { counts }] of due) {
      this.store.delete(key);
      const start = Number(key);
      const alert = reconcileCounts(start, counts);
      this.context.forward({ key: `row|${key}`, value: { windowStart: start, ...counts, balanced: alert === null }, timestamp: now, headers: {} });
      if (alert !== null) {
        const row: AlertRow = { alertId: `reconciliation|counts|${start}`, kind: 'reconciliation', layer: null, windowStart: start, metric: 'counts', observed: String(counts.bronze), threshold: String(counts.silver + counts.duplicates + counts.dlq + counts.late), message: alert.message };
        this.context.forward({ key: `alert|${row.alertId}`, value: row, timestamp: now, headers: {} });
      }
    }
  }
}

export function buildReconciliation(builder: StreamsBuilder, bronze: KStream<unknown, unknown>, silver: KStream<unknown, unknown>, config: PipelineConfig, settleMs = 30_000): void {
  const { topics } = config;
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(RECONCILIATION_STORE), Serdes.String(), Serdes.Json<Pending>()));
  const bytes = { keySerde: Serdes.Bytes(), valueSerde: Serdes.Bytes() };
  const sources: [Bucket, KStream<unknown, unknown>][] = [
    ['bronze', bronze],
    ['silver', silver],
    ['dlq', builder.stream(topics.dlq, bytes) as KStream<unknown, unknown>],
    ['late', builder.stream(topics.late, bytes) as KStream<unknown, unknown>],
    ['duplicates', builder.stream(topics.duplicates, bytes) as KStream<unknown, unknown>],
  ];
  // Each source is repartitioned on its own (one partition) before the merge, so the
  // source subtopologies stay apart. Each task counts its records per minute and sends one
  // partial count per minute per commit (quality-minute-partials.ts), not one per record.
  const tagged = sources.map(([bucket, stream]) =>
    minutePartials<unknown, PartialCount>(stream, `recon-${bucket}`, () => 0, (n) => (n as number) + 1).repartition({
      name: `dq-recon-${bucket}`,
      keySerde: Serdes.String(),
      valueSerde: Serdes.Json<PartialCount>(),
      numberOfPartitions: 1,
    }),
  );
  const results = tagged
    .slice(1)
    .reduce((all, s) => all.merge(s), tagged[0]!)
    .process(() => new Reconciler(settleMs), { named: 'dq-reconciler', stores: [RECONCILIATION_STORE] });
  results
    .filter((k) => k.startsWith('row|'))
    .selectKey((k) => k.slice('row|'.length))
    .to(topics.reconciliation, { keySerde: Serdes.String(), valueSerde: config.goldSerdes.reconciliation() });
  results
    .filter((k) => k.startsWith('alert|'))
    .selectKey((k) => k.slice('alert|'.length))
    .to(topics.alerts, { keySerde: Serdes.String(), valueSerde: config.goldSerdes.alerts() });
}
