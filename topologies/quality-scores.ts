import { Serdes, Stores, type KeyValueStore, type KStream, type Processor, type ProcessorContext, type StreamRecord, type StreamsBuilder } from '../runtime/index.ts';
import { WINDOW_SIZES } from './logic/gold/windows.ts';
import { addDqRecord, dqReport, emptyDqCounts, mergeDqCounts, type DqCounts, type DqReport } from './logic/quality/dq-report.ts';
import { saneTimestampRule, schemaRule, type DqRecord, type DqRule } from './logic/quality/dq-rule.ts';
import type { PipelineConfig } from './pipeline-config.ts';
import { minutePartials } from './quality-minute-partials.ts';

/**
 * Data-quality scores per layer per minute (of ingest time: the bronze record timestamp,
 * which silver records keep). Bronze records are checked by the schema rule of the input
 * contract and a sane event time (after 2000, at most a day ahead of ingest); silver
 * records by the same rules, plus completeness (null rates) of the optional fields. The
 * score is passed checks / all checks (logic/quality/dq-report.ts). Every update of a
 * window's score is published; a score or completeness under the threshold is an alert,
 * raised once per window and metric (the raised ids are kept in a store).
 */
export interface DqRow extends DqReport {
  readonly layer: string;
  readonly windowStart: number;
  readonly windowEnd: number;
}

export interface AlertRow {
  /** Deterministic: the same condition on the same window has the same id. */
  readonly alertId: string;
  readonly kind: 'dq_threshold' | 'reconciliation';
  readonly layer: string | null;
  readonly windowStart: number | null;
  readonly metric: string;
  readonly observed: string;
  readonly threshold: string;
  readonly message: string;
}

const MINUTE = WINDOW_SIZES['1m'];
/** One store per layer: a store shared by two processors would put them in one subtopology. */
const raisedStore = (layer: string): string => `dq-raised-alerts-${layer}`;
const RULES: readonly DqRule[] = [schemaRule('input schema', { eventId: 'string', time: 'integer', type: 'string' }), saneTimestampRule('time', Date.UTC(2000, 0, 1), 86_400_000)];
const FIELDS: Record<string, readonly string[]> = { bronze: ['eventId', 'time', 'type'], silver: ['eventId', 'time', 'campaign', 'productId'] };

/** A record of the repartition topic as the version before the combiner wrote it: one input record. */
interface SingleRecord {
  readonly value: DqRecord;
  readonly at: number;
}

const isSingle = (v: DqCounts | SingleRecord): v is SingleRecord => 'at' in v;

function parsed(value: unknown): DqRecord {
  if (Buffer.isBuffer(value)) {
    try {
      const v = JSON.parse(value.toString('utf8')) as unknown;
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as DqRecord) : {};
    } catch {
      return {};
    }
  }
  return value !== null && typeof value === 'object' ? (value as DqRecord) : {};
}

export function buildQualityScores(builder: StreamsBuilder, bronze: KStream<unknown, Buffer | null>, silver: KStream<unknown, unknown>, config: PipelineConfig): void {
  const threshold = String(config.dqThreshold);
  // Each task counts its records per [layer, minute] and sends one partial per key per
  // commit through the repartition (quality-minute-partials.ts); the aggregate sums them.
  const layer = (stream: KStream<unknown, unknown>, name: string) =>
    (minutePartials(stream, name, () => emptyDqCounts(RULES, FIELDS[name]!), (acc: DqCounts, value: unknown, at: number) => addDqRecord(acc, parsed(value), RULES, { now: at })) as KStream<string, DqCounts | SingleRecord>)
      .groupByKey({ keySerde: Serdes.String(), valueSerde: Serdes.Json<DqCounts | SingleRecord>(), name: `dq-${name}` })
      .aggregate<DqCounts>(
        () => emptyDqCounts(RULES, FIELDS[name]!),
        (_k, partial, acc) => (isSingle(partial) ? addDqRecord(acc, partial.value, RULES, { now: partial.at }) : mergeDqCounts(acc, partial)),
        { store: `dq-${name}-counts`, keySerde: Serdes.String(), valueSerde: Serdes.Json<DqCounts>() },
      )
      .toStream()
      .mapValues((counts, key): DqRow => {
        const [, start] = JSON.parse(key) as [string, number];
        return { layer: name, windowStart: start, windowEnd: start + MINUTE, ...dqReport(counts, { score: threshold, completeness: threshold }) };
      });
  for (const [name, rows] of [['bronze', layer(bronze as KStream<unknown, unknown>, 'bronze')], ['silver', layer(silver, 'silver')]] as const) {
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(raisedStore(name)), Serdes.String(), Serdes.Json<number>()));
    rows.to(config.topics.dqScores, { keySerde: Serdes.String(), valueSerde: config.goldSerdes.dqScores() });
    rows
      .flatMap((_k, row) =>
        row.alerts.map((a) => {
          const alert: AlertRow = { alertId: `dq|${row.layer}|${row.windowStart}|${a.metric}`, kind: 'dq_threshold', layer: row.layer, windowStart: row.windowStart, metric: a.metric, observed: a.value, threshold: a.threshold, message: `${row.layer} ${a.metric} ${a.value} is below ${a.threshold} in the minute from ${new Date(row.windowStart).toISOString()}` };
          return { key: alert.alertId, value: alert };
        }),
      )
      .repartition({ name: `dq-alerts-${name}`, keySerde: Serdes.String(), valueSerde: Serdes.Json<AlertRow>() })
      .process(() => new FirstAlertOnly(raisedStore(name)), { named: `dq-first-alert-${name}`, stores: [raisedStore(name)] })
      .to(config.topics.alerts, { keySerde: Serdes.String(), valueSerde: config.goldSerdes.alerts() });
  }
}

/** Passes an alert the first time its id is seen: a window under its threshold alerts once, not on every update. */
class FirstAlertOnly implements Processor<string, AlertRow, string, AlertRow> {
  private context!: ProcessorContext<string, AlertRow>;
  private raised!: KeyValueStore<string, number>;
  constructor(private readonly store: string) {}
  init(context: ProcessorContext<string, AlertRow>): void {
    this.context = context;
    this.raised = context.getStateStore(this.store);
  }
  process(record: StreamRecord<string, AlertRow>): void {
    if (this.raised.get(record.key) !== undefined) return;
    this.raised.put(record.key, record.timestamp);
    this.context.forward(record);
  }
}
