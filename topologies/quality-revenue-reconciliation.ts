import { Serdes, Stores, type KeyValueStore, type Serde, type KStream, type Processor, type ProcessorContext, type StreamRecord, type StreamsBuilder } from '../runtime/index.ts';
import type { SalesRow } from './gold-sales.ts';
import { orderRevenue } from './logic/gold/order-revenue.ts';
import { WINDOW_SIZES, windowStart } from './logic/gold/windows.ts';
import { add, decimal, formatDecimal } from './logic/money/decimal.ts';
import { reconcileRevenue } from './logic/quality/reconciliation.ts';
import { addSilverOrder, emptyRevenueWindow, replaceGoldRow, revenueWindowRetired, type RevenueWindow } from './logic/quality/revenue-window.ts';
import type { InputEvent, OrderEvent } from './logic/silver/input-event.ts';
import { ALLOWED_LATENESS_MS } from './logic/silver/lateness.ts';
import type { PipelineConfig } from './pipeline-config.ts';
import { partialsBy } from './commit-partials.ts';
import type { AlertRow } from './quality-scores.ts';
import { RejectedRecordError } from './rejected-record.ts';

/**
 * Revenue reconciliation, continuous, per 1-minute event-time window: the revenue of the
 * accepted silver orders (base currency, as the gold layer defines an order's revenue)
 * equals the sum of the latest revenue of every gold.sales-performance row of that window.
 * Both sides are read from their topics (gold with the configured gold serde, JSON or
 * Avro), so the check covers what was really written; the gold topic is an update stream,
 * so each row's latest value is kept and an update adds its difference. The layers reach their topics at different moments, so a window is
 * checked once it has been quiet for `settleMs` of wall-clock time, and again after every
 * later change (a late order within 48 h): its row (silver, gold, balanced) goes to the
 * revenue reconciliation topic, and the first mismatch of a window to the alerts topic.
 * A window's state is dropped once both sides' event time has passed its end + 48 h + 1 h.
 * One partition holds it all.
 */
export interface RevenueReconciliationRow {
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly silverRevenue: string;
  readonly goldRevenue: string;
  readonly balanced: boolean;
}

/** A silver order's revenue, or a gold row's new revenue (null: the row was deleted). */
type SilverContribution = { readonly side: 'silver'; readonly revenue: string };
type Contribution = SilverContribution | { readonly side: 'gold'; readonly row: string; readonly revenue: string | null };

interface Pending extends RevenueWindow {
  readonly updatedAt: number;
  /** Changed since its row was last published. */
  readonly dirty: boolean;
  readonly alerted: boolean;
}

export const REVENUE_STORES = { windows: 'dq-recon-revenue', goldRows: 'dq-recon-revenue-gold-rows', clock: 'dq-recon-revenue-clock' } as const;
const MINUTE = WINDOW_SIZES['1m'];
const RETIRE_MARGIN_MS = 3_600_000;
/** Gold-row store keys sort by window, so one window's rows are one range. */
const rowKey = (start: number, row: string): string => `${String(start).padStart(15, '0')}|${row}`;

class RevenueReconciler implements Processor<string, Contribution, string, RevenueReconciliationRow | AlertRow> {
  private context!: ProcessorContext<string, RevenueReconciliationRow | AlertRow>;
  private windows!: KeyValueStore<string, Pending>;
  private goldRows!: KeyValueStore<string, string>;
  private clock!: KeyValueStore<string, number>;

  constructor(private readonly settleMs: number) {}

  init(context: ProcessorContext<string, RevenueReconciliationRow | AlertRow>): void {
    this.context = context;
    this.windows = context.getStateStore(REVENUE_STORES.windows);
    this.goldRows = context.getStateStore(REVENUE_STORES.goldRows);
    this.clock = context.getStateStore(REVENUE_STORES.clock);
    context.schedule(Math.max(100, Math.floor(this.settleMs / 2)), 'WALL_CLOCK_TIME', (now) => this.check(now));
  }

  process(record: StreamRecord<string, Contribution>): void {
    const start = Number(record.key);
    const c = record.value;
    if ((this.clock.get(c.side) ?? -Infinity) < start) this.clock.put(c.side, start);
    const w = this.windows.get(record.key) ?? { ...emptyRevenueWindow(), updatedAt: 0, dirty: true, alerted: false };
    let next: RevenueWindow;
    if (c.side === 'silver') next = addSilverOrder(w, decimal(c.revenue));
    else {
      const key = rowKey(start, c.row);
      const previous = this.goldRows.get(key);
      if (c.revenue === null) this.goldRows.delete(key);
      else this.goldRows.put(key, c.revenue);
      next = replaceGoldRow(w, previous === undefined ? null : decimal(previous), c.revenue === null ? null : decimal(c.revenue));
    }
    this.windows.put(record.key, { ...w, silver: next.silver, gold: next.gold, updatedAt: this.context.currentSystemTimeMs(), dirty: true });
  }

  private async check(now: number): Promise<void> {
    const entries: [string, Pending][] = [];
    for await (const { key, value } of this.windows.all()) entries.push([key, value]);
    const silverTime = this.clock.get('silver') ?? -Infinity;
    const goldTime = this.clock.get('gold') ?? -Infinity;
    for (const [key, w] of entries) {
      const start = Number(key);
      if (w.dirty && now - w.updatedAt >= this.settleMs) this.publish(start, w, now);
      else if (!w.dirty && revenueWindowRetired(start + MINUTE, silverTime, goldTime, ALLOWED_LATENESS_MS, RETIRE_MARGIN_MS)) await this.retire(start);
    }
  }

  private publish(start: number, w: Pending, now: number): void {
    const alert = reconcileRevenue(start, decimal(w.silver), decimal(w.gold));
    const row: RevenueReconciliationRow = { windowStart: start, windowEnd: start + MINUTE, silverRevenue: w.silver, goldRevenue: w.gold, balanced: alert === null };
    this.context.forward({ key: `row|${start}`, value: row, timestamp: now, headers: {} });
    if (alert !== null && !w.alerted) {
      const a: AlertRow = { alertId: `reconciliation|revenue|${start}`, kind: 'reconciliation', layer: null, windowStart: start, metric: 'revenue', observed: w.gold, threshold: w.silver, message: alert.message };
      this.context.forward({ key: `alert|${a.alertId}`, value: a, timestamp: now, headers: {} });
    }
    this.windows.put(String(start), { ...w, dirty: false, alerted: w.alerted || alert !== null });
  }

  private async retire(start: number): Promise<void> {
    const stale: string[] = [];
    for await (const { key } of this.goldRows.range(rowKey(start, ''), rowKey(start, '\u007f'))) stale.push(key);
    for (const key of stale) this.goldRows.delete(key);
    this.windows.delete(String(start));
  }
}

/** `[window, windowStart, category, channel, country]`; anything else is a clear error (the record goes to the DLQ or stops the task, per the handler). */
function parseSalesKey(key: string): [string, number] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(key);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || !Number.isSafeInteger(parsed[1])) throw new RejectedRecordError(`gold sales key is not [window, windowStart, category, channel, country]: ${key}`);
  return [parsed[0], parsed[1] as number];
}

/**
 * A gold sales row of a 1-minute window as a contribution keyed by its window start (other
 * sizes are skipped), timestamped with the wall clock: the window store of the
 * reconciliation then retains by the time the row arrived, not by its (possibly old) event time.
 */
class GoldContribution implements Processor<string, SalesRow | null, string, Contribution> {
  private context!: ProcessorContext<string, Contribution>;
  init(context: ProcessorContext<string, Contribution>): void {
    this.context = context;
  }
  process(record: StreamRecord<string, SalesRow | null>): void {
    const [window, start] = parseSalesKey(record.key);
    if (window !== '1m') return;
    const value: Contribution = { side: 'gold', row: record.key, revenue: record.value === null ? null : record.value.revenue };
    this.context.forward({ key: String(start), value, timestamp: this.context.currentSystemTimeMs(), headers: record.headers });
  }
}

export function buildRevenueReconciliation(builder: StreamsBuilder, silver: KStream<string, InputEvent>, config: PipelineConfig, settleMs = 30_000): void {
  const { topics } = config;
  const store = <V>(name: string) => builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.Json<V>()));
  store<Pending>(REVENUE_STORES.windows);
  store<string>(REVENUE_STORES.goldRows);
  store<number>(REVENUE_STORES.clock);
  const one = (name: string) => ({ name, keySerde: Serdes.String(), valueSerde: Serdes.Json<Contribution>(), numberOfPartitions: 1 });
  // The silver revenue of each window is summed per task and commit before the repartition
  // (commit-partials.ts): one contribution per window per commit, not one per order.
  const orders = (
    partialsBy<InputEvent, SilverContribution>(
      silver.filter((_k, e) => e.type === 'order') as KStream<unknown, InputEvent>,
      'dq-recon-revenue-silver-partials',
      (e) => String(windowStart(e.time, MINUTE)),
      () => ({ side: 'silver', revenue: '0.00' }),
      (sum, e) => ({ side: 'silver', revenue: formatDecimal(add(decimal(sum.revenue), orderRevenue(e as OrderEvent, config.rates))) }),
    ) as KStream<string, Contribution>
  ).repartition(one('dq-recon-revenue-silver'));
  const gold = builder
    .stream(topics.salesPerformance, { keySerde: Serdes.String(), valueSerde: config.goldSerdes.salesPerformance() as Serde<SalesRow | null> })
    .process(() => new GoldContribution(), { named: 'dq-recon-revenue-gold-rows' })
    .repartition(one('dq-recon-revenue-gold'));
  const results = orders.merge(gold).process(() => new RevenueReconciler(settleMs), { named: 'dq-revenue-reconciler', stores: Object.values(REVENUE_STORES) });
  results
    .filter((k) => k.startsWith('row|'))
    .map((k, v) => ({ key: k.slice('row|'.length), value: v as RevenueReconciliationRow }))
    .to(topics.revenueReconciliation, { keySerde: Serdes.String(), valueSerde: config.goldSerdes.revenueReconciliation() });
  results
    .filter((k) => k.startsWith('alert|'))
    .map((k, v) => ({ key: k.slice('alert|'.length), value: v as AlertRow }))
    .to(topics.alerts, { keySerde: Serdes.String(), valueSerde: config.goldSerdes.alerts() });
}
