import { Serdes, TimeWindows, type KeyValue, type KStream, type Processor, type ProcessorContext, type StreamRecord, type StreamsBuilder, type Windowed } from '../runtime/index.ts';
import type { RatesTable } from './logic/money/currency.ts';
import { categorySlices } from './logic/gold/order-revenue.ts';
import { salesFigures, type SalesFigures } from './logic/gold/sales-performance.ts';
import { WINDOW_SIZES, type WindowName } from './logic/gold/windows.ts';
import type { InputEvent, OrderEvent } from './logic/silver/input-event.ts';
import { ALLOWED_LATENESS_MS } from './logic/silver/lateness.ts';
import { addCents, fromCents, toCents, type Cents } from './money-json.ts';
import type { PipelineConfig } from './pipeline-config.ts';

/**
 * Gold sales performance: revenue, orders, units and AOV per tumbling window (1 m, 1 h,
 * 1 d, aligned to the epoch in UTC) × category × channel × country, on event time (the
 * order's `time`). Each accepted order is split into category slices (lines converted to
 * the base currency and rounded one by one); a slice counts the order once in its group.
 *
 * One windowed aggregate per window size over the runtime's window stores, with grace
 * 48 h and retention size + grace: once stream time passes a window's end + 48 h the
 * window is dropped from its store (and its changelog, `compact,delete`), so the state
 * holds about three days of windows, not all of history. Every update is published (the
 * latest per key is current; an update of a window whose end has passed carries the
 * `streamhouse.correction` header); a window is final 48 h after its end.
 *
 * Why no accepted silver order is late here. The silver gate accepts an order at time t
 * only if t ≥ G − 48 h, G being the gate's stream time (the greatest event time it had
 * accepted, over the whole single-partition bronze topic). The window operator of a
 * partition p of the `gold-sales` repartition topic has its own stream time S_p: the
 * greatest order time it has seen. Gold sales is fed from the gate's accepted events in
 * the gate's own task (buildSilverGate's `onAccepted`), so every partition p receives
 * orders in the gate's order, and what p saw before this order the gate accepted before
 * it: S_p ≤ G ≤ t + 48 h. A window closes when S_p ≥ end + 48 h, and every window of the
 * order has end > t, so it is still open (an order exactly 48 h behind, on time at the
 * gate, is on time here too). Reading the silver topic instead would break this: its
 * partitions are read by different tasks, which interleave their orders in the
 * repartition topic; catching up a backlog of days, one task runs more than 48 h of event
 * time ahead of another (the end-to-end test's 1,500 events over ~10 days put 171
 * refusals in the late-events topic that way). Should an order still be refused, the
 * runtime sends it to the late-events topic (nothing is lost silently) and the revenue
 * reconciliation (quality-revenue-reconciliation.ts) flags its minute.
 */
export interface SalesRow extends SalesFigures {
  readonly window: WindowName;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly category: string;
  readonly channel: string;
  readonly country: string;
}

/** One category slice of an order, with the order's event time; the record's key is its group, [category, channel, country]. */
interface Slice {
  readonly cents: Cents;
  readonly units: number;
  readonly time: number;
}

interface SalesState {
  readonly cents: Cents;
  readonly orders: number;
  readonly units: number;
}

/** The window store of one window size, e.g. `gold-sales-performance-1m`. */
export const salesStore = (window: WindowName): string => `gold-sales-performance-${window}`;

export function salesRowKey(window: string, start: number, category: string, channel: string, country: string): string {
  return JSON.stringify([window, start, category, channel, country]);
}

/**
 * Splits an order into its category slices. They keep the record's (ingest) timestamp
 * through the repartition topic, and event time is set only after it (EventTime): the
 * window changelogs (`compact,delete`, logged with the time of the record read from them)
 * delete by record time after size + grace + 1 day, so event times older than that (a
 * backfill) were deleted before they could be restored (seen on Kafka: segments deleted
 * within a minute). (Repartition topics no longer delete by time: retention.ms=-1 and a
 * purge after commit, see runtime/README.md.)
 */
class OrderSlices implements Processor<string | null, InputEvent, string, Slice> {
  private context!: ProcessorContext<string, Slice>;
  constructor(private readonly rates: RatesTable) {}
  init(context: ProcessorContext<string, Slice>): void {
    this.context = context;
  }
  process(record: StreamRecord<string | null, InputEvent>): void {
    const order = record.value as OrderEvent;
    for (const s of categorySlices(order, this.rates)) {
      const key = JSON.stringify([s.category, order.channel, order.country]);
      this.context.forward({ key, value: { cents: toCents(s.revenue), units: s.units, time: order.time }, timestamp: record.timestamp, headers: record.headers });
    }
  }
}

/** Sets the slice's event time as its timestamp, the time the windows go by. */
class EventTime implements Processor<string, Slice, string, Slice> {
  private context!: ProcessorContext<string, Slice>;
  init(context: ProcessorContext<string, Slice>): void {
    this.context = context;
  }
  process(record: StreamRecord<string, Slice>): void {
    this.context.forward({ ...record, timestamp: record.value.time });
  }
}

function salesRow(window: WindowName, { key, window: w }: Windowed<string>, acc: SalesState): KeyValue<string, SalesRow> {
  const [category, channel, country] = JSON.parse(key) as [string, string, string];
  const figures = salesFigures({ revenue: fromCents(acc.cents), orders: acc.orders, units: acc.units });
  return { key: salesRowKey(window, w.start, category, channel, country), value: { window, windowStart: w.start, windowEnd: w.end, category, channel, country, ...figures } };
}

/** `accepted`: the silver gate's accepted events in its order (see above), or any stream of them in order. */
export function buildGoldSales(builder: StreamsBuilder, accepted: KStream<string | null, InputEvent>, config: PipelineConfig): void {
  const grouped = accepted
    .filter((_k, e) => e.type === 'order')
    .process(() => new OrderSlices(config.rates), { named: 'gold-sales-slices' })
    .repartition({ name: 'gold-sales', keySerde: Serdes.String(), valueSerde: Serdes.Json<Slice>() })
    .processValues(() => new EventTime(), { named: 'gold-sales-event-time' })
    .groupByKey({ keySerde: Serdes.String(), valueSerde: Serdes.Json<Slice>() });
  const perWindow = (Object.keys(WINDOW_SIZES) as WindowName[]).map((window) =>
    grouped
      .windowedBy(TimeWindows.tumbling({ size: WINDOW_SIZES[window], grace: ALLOWED_LATENESS_MS }))
      .aggregate<SalesState>(
        () => ({ cents: '0', orders: 0, units: 0 }),
        (_key, s, acc) => ({ cents: addCents(acc.cents, s.cents), orders: acc.orders + 1, units: acc.units + s.units }),
        { store: salesStore(window), keySerde: Serdes.String(), valueSerde: Serdes.Json<SalesState>() },
      )
      .toStream()
      .map((key, acc) => salesRow(window, key, acc)),
  );
  perWindow
    .slice(1)
    .reduce((all, s) => all.merge(s), perWindow[0]!)
    .to(config.topics.salesPerformance, { keySerde: Serdes.String(), valueSerde: config.goldSerdes.salesPerformance() });
}
