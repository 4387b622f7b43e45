import { Serdes, type KStream, type StreamsBuilder } from '../runtime/index.ts';
import { categorySlices } from './logic/gold/order-revenue.ts';
import { salesFigures, type SalesFigures } from './logic/gold/sales-performance.ts';
import { WINDOW_SIZES, windowStart, type WindowName } from './logic/gold/windows.ts';
import type { InputEvent, OrderEvent } from './logic/silver/input-event.ts';
import { addCents, fromCents, toCents, type Cents } from './money-json.ts';
import type { PipelineConfig } from './pipeline-config.ts';

/**
 * Gold sales performance: revenue, orders, units and AOV per tumbling window (1 m, 1 h,
 * 1 d, aligned to the epoch in UTC) × category × channel × country. Each accepted order is
 * split into category slices (lines converted to the base currency and rounded one by one);
 * a slice counts the order once in its group. Every update is published (the latest per
 * key is current); the silver gate has already dropped events later than 48 h, so no
 * window changes after stream time passes its end + 48 h.
 */
export interface SalesRow extends SalesFigures {
  readonly window: WindowName;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly category: string;
  readonly channel: string;
  readonly country: string;
}

interface Slice {
  readonly window: WindowName;
  readonly start: number;
  readonly category: string;
  readonly channel: string;
  readonly country: string;
  readonly cents: Cents;
  readonly units: number;
}

interface SalesState {
  readonly slice: Omit<Slice, 'cents' | 'units'> | null;
  readonly cents: Cents;
  readonly orders: number;
  readonly units: number;
}

export const SALES_STORE = 'gold-sales-performance';

export function salesRowKey(window: string, start: number, category: string, channel: string, country: string): string {
  return JSON.stringify([window, start, category, channel, country]);
}

function slicesOf(order: OrderEvent, config: PipelineConfig): Slice[] {
  const out: Slice[] = [];
  for (const s of categorySlices(order, config.rates)) {
    for (const [window, size] of Object.entries(WINDOW_SIZES) as [WindowName, number][]) {
      out.push({ window, start: windowStart(order.time, size), category: s.category, channel: order.channel, country: order.country, cents: toCents(s.revenue), units: s.units });
    }
  }
  return out;
}

export function buildGoldSales(builder: StreamsBuilder, silver: KStream<string, InputEvent>, config: PipelineConfig): void {
  silver
    .filter((_k, e) => e.type === 'order')
    .flatMap((_k, e) => slicesOf(e as OrderEvent, config).map((s) => ({ key: salesRowKey(s.window, s.start, s.category, s.channel, s.country), value: s })))
    .groupByKey({ keySerde: Serdes.String(), valueSerde: Serdes.Json<Slice>(), name: 'gold-sales' })
    .aggregate<SalesState>(
      () => ({ slice: null, cents: '0', orders: 0, units: 0 }),
      (_key, s, acc) => ({ slice: { window: s.window, start: s.start, category: s.category, channel: s.channel, country: s.country }, cents: addCents(acc.cents, s.cents), orders: acc.orders + 1, units: acc.units + s.units }),
      { store: SALES_STORE, keySerde: Serdes.String(), valueSerde: Serdes.Json<SalesState>() },
    )
    .toStream()
    .mapValues((acc): SalesRow => {
      const s = acc.slice!;
      const figures = salesFigures({ revenue: fromCents(acc.cents), orders: acc.orders, units: acc.units });
      return { window: s.window, windowStart: s.start, windowEnd: s.start + WINDOW_SIZES[s.window], category: s.category, channel: s.channel, country: s.country, ...figures };
    })
    .to(config.topics.salesPerformance, { keySerde: Serdes.String(), valueSerde: Serdes.Json<SalesRow>() });
}
