/**
 * The benchmarks' realistic traffic: what `npm start` produces (the `streamhouse produce`
 * simulator's clickstream and sales, its catalog and customer profiles) as the bronze bridge
 * hands it to the pipeline (topologies/logic/bronze/), without the Avro round trip. The mix is the
 * simulator's funnel (mostly views, some carts and searches, a few purchases and sales
 * orders), not the oracle's seeded input, which packs orders, cancellations and faults densely
 * to test correctness (about 30 % of its events are orders).
 *
 * Event times: records are taken in the simulation's order and stamped with the caller's
 * `now`, so the offered rate is the rate of event time whatever the simulated hour (the
 * simulation's diurnal rate would otherwise make a night slower). The simulation runs at 1,000
 * clicks a second (which sets how many users are active at once) and its first 20 minutes are
 * skipped: the funnel starts empty and needs minutes of sessions to reach its steady mix
 * (about 86 % views, 6 % searches, 4 % carts, 1.4 % purchase clicks, 1.3 % sales orders).
 */
import { RecordGenerator } from '../connectors/sources/generator/record-generator.ts';
import type { SimRecord } from '../connectors/sources/generator/session.ts';
import type { BridgeMapping } from '../topologies/logic/bronze/bridge-mapping.ts';
import { mapClickstreamEvent } from '../topologies/logic/bronze/clickstream.ts';
import { mapCustomerProfile, mapProduct } from '../topologies/logic/bronze/reference-data.ts';
import { mapSalesOrder } from '../topologies/logic/bronze/sales-order.ts';

export interface SimulatedBatch {
  /** Pipeline events (clicks, orders, cancellations) for the bronze events topic. */
  readonly events: Record<string, unknown>[];
  /** [product id, catalog product] for the products topic. */
  readonly products: [string, object][];
  /** [customer id, customer change] for the customer changes topic. */
  readonly customerChanges: [string, object][];
}

const WARM_UP_MS = 20 * 60_000;

export class SimulatorEvents {
  private readonly generator: RecordGenerator;
  private offset = 0;
  /** Events taken by kind, for the report. */
  readonly mix = { click: 0, order: 0, cancellation: 0 };

  constructor(seed: number, start: number) {
    this.generator = new RecordGenerator({ seed, startTime: start, rate: 1000, kinds: ['clickstream', 'sales', 'customers', 'products'] });
    // The catalog and the profiles made during the warm-up are kept: the pipeline needs them.
    this.reference = { events: [], products: [], customerChanges: [] };
    for (;;) {
      const { record } = this.generator.next();
      if (record.time >= start + WARM_UP_MS) break;
      if (record.kind === 'products' || record.kind === 'customers') this.take(record, this.reference, 0);
    }
  }

  /** The products and customer changes made during the warm-up (to load before the events). */
  readonly reference: SimulatedBatch;

  /** The next `n` clickstream and sales events (stamped `now`), with the reference data met on the way. */
  next(n: number, now: number): SimulatedBatch {
    const batch: SimulatedBatch = { events: [], products: [], customerChanges: [] };
    while (batch.events.length < n) this.take(this.generator.next().record, batch, now);
    return batch;
  }

  private take(record: SimRecord, batch: SimulatedBatch, now: number): void {
    const mapped = map(record, this.offset++);
    if (!mapped.ok) return;
    if (mapped.target === 'products') batch.products.push([mapped.key, mapped.value!]);
    else if (mapped.target === 'customerChanges') batch.customerChanges.push([mapped.key, mapped.value!]);
    else {
      const event: Record<string, unknown> = { ...(mapped.value as Record<string, unknown>), time: now };
      this.mix[event.type as keyof SimulatorEvents['mix']]++;
      batch.events.push(event);
    }
  }
}

function map(record: SimRecord, offset: number): BridgeMapping | { ok: false } {
  switch (record.kind) {
    case 'clickstream':
      return mapClickstreamEvent(record.value);
    case 'sales':
      return mapSalesOrder(record.value);
    case 'customers':
      return mapCustomerProfile(record.value, offset);
    case 'products':
      return mapProduct(record.value);
    default:
      return { ok: false };
  }
}
