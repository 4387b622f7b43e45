import { systemClock } from '../../runtime/index.ts';
import { FX_PER_USD } from '../../connectors/sources/generator/money.ts';
import type { GeneratedKind } from '../../connectors/sources/generator/record-generator.ts';
import { producerId, sourceKafka } from '../../connectors/sources/kafka/kafka-client.ts';
import { SINK_DEFAULTS } from '../../connectors/sources/kafka/record-sink.ts';
import { runProduceJob } from '../../connectors/sources/producer/produce-job.ts';
import { AvroRegistrySerializer } from '../../connectors/sources/serde/avro-registry-serializer.ts';
import { decimal, divide, formatDecimal } from '../logic/money/decimal.ts';
import type { RatesTable } from '../logic/money/currency.ts';
import { seededInput } from '../oracle/seeded-input.ts';
import { Topics, renamed, type TopicSpec } from '../topics.ts';

/**
 * `npm start`'s traffic on the real Avro path: the `streamhouse produce` simulator (one
 * marketplace: catalog, profiles, clickstream, orders with cancellations, campaign spend)
 * writes Confluent Avro with lineage headers to the Avro bronze topics, at `rate` clicks
 * per second (mean over a day) in real time, with a few faults (5 s jitter, 2 % late of
 * which a fifth beyond 48 h, 1 % duplicates, 0.5 % malformed payloads); the bronze bridge
 * feeds them to the pipeline. `onProduced` gets the records acknowledged since its last call.
 */
export interface AvroTrafficOptions {
  readonly brokers: readonly string[];
  readonly registryUrl: string;
  readonly rate: number;
  readonly prefix?: string;
  readonly seed?: number;
  readonly onProduced?: (records: number) => void;
}

export function startAvroTraffic(o: AvroTrafficOptions): { stop(): Promise<void> } {
  const abort = new AbortController();
  const b = Topics.bronze;
  const specs: Record<GeneratedKind, TopicSpec> = { clickstream: b.clickstream, sales: b.sales, customers: b.customers, campaigns: b.campaigns, products: b.products };
  const topics = Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, renamed(s, (o.prefix ?? '') + s.name)])) as Record<GeneratedKind, TopicSpec>;
  let reported = 0;
  const report = (acked: number): void => {
    if (acked > reported) o.onProduced?.(acked - reported);
    reported = Math.max(reported, acked);
  };
  const done = runProduceJob({
    generator: {
      seed: o.seed ?? Math.floor(systemClock.now() / 1000) % 2 ** 31, startTime: systemClock.now(), rate: o.rate, kinds: ['clickstream', 'sales', 'customers', 'campaigns', 'products'],
      faults: { jitterMs: 5000, lateFraction: 0.02, beyondLatenessShare: 0.2, duplicateFraction: 0.01, malformedFraction: 0.005 },
    },
    topics, kafka: sourceKafka(o.brokers, 'streamhouse-traffic'), serializer: new AvroRegistrySerializer(o.registryUrl), worker: false,
    clock: systemClock, speed: 1, signal: abort.signal, producerId: producerId('streamhouse-traffic'), progressEveryMs: 1000, onProgress: (s) => report(s.acked),
    // The produce CLI batches 4000 records per request for throughput; live traffic sends about 20 requests a second instead.
    sink: { batchSize: Math.max(1, Math.round(o.rate / 20)), maxBytes: SINK_DEFAULTS.maxBytes },
  }).then(
    (s) => report(s.acked),
    (e: Error) => console.error(`[traffic] ${e.message}`),
  );
  return {
    async stop() {
      abort.abort();
      await done;
    },
  };
}

/** The pipeline's rates for the simulator's currencies (base EUR, from the generator's FX_PER_USD). */
export function simulatorRates(): RatesTable {
  const eurPerUsd = decimal(FX_PER_USD.EUR!);
  const rates = Object.fromEntries(Object.entries(FX_PER_USD).filter(([c]) => c !== 'EUR').map(([c, fx]) => [c, formatDecimal(divide(eurPerUsd, decimal(fx), 6))]));
  return { base: 'EUR', rates };
}

/**
 * Live traffic for `npm start`: batches of the seeded generator's events (orders,
 * cancellations, clicks, spend, with its share of late, duplicate and malformed events),
 * with ids made unique per producer and batch, and event times moved to the present: a generated offset
 * of one minute becomes one second, so out-of-order events stay out of order.
 */
export function liveBatch(producer: string, batch: number, events: number, now: number): Record<string, unknown>[] {
  const start = now;
  return seededInput({ seed: batch + 1, events, start, customers: 500 }).map((e) => {
    const out: Record<string, unknown> = { ...e };
    for (const field of ['eventId', 'orderId']) if (typeof out[field] === 'string' && out[field] !== '') out[field] = `${producer}-${batch}-${out[field] as string}`;
    if (typeof out.time === 'number') out.time = start + Math.round((out.time - start) / 60);
    return out;
  });
}

const CITIES = ['Berlin', 'Paris', 'London', 'Madrid', 'Rome'];

/** One customer profile change per batch (SCD2 input), now and then back-dated by up to a day. */
export function liveCustomerChange(batch: number, now: number): { customerId: string; effectiveFrom: number; attributes: Record<string, string>; sequence: number } {
  const n = (batch * 7919) % 500;
  const backDated = batch % 10 === 0 ? ((batch * 104_729) % 86_400) * 1000 : 0;
  return { customerId: `u${1 + n}`, effectiveFrom: now - backDated, attributes: { name: `customer ${1 + n}`, city: CITIES[(batch + n) % CITIES.length]!, segment: n % 3 === 0 ? 'b2b' : 'b2c' }, sequence: batch };
}

/** The product catalog of the live traffic (the generator's products p0..p8). */
export function liveCatalog(): { productId: string; name: string; category: string }[] {
  const categories = ['toys', 'books', 'garden', 'kitchen'];
  return Array.from({ length: 9 }, (_, i) => ({ productId: `p${i}`, name: `product ${i}`, category: categories[i % categories.length]! }));
}
