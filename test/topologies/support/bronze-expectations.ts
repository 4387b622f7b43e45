import avro from 'avsc';
import { LOGICAL_TYPES } from '../../../schemas/logical-types.ts';
import { SCHEMAS } from '../../../schemas/generated/index.ts';

/**
 * The bronze bridge's expected output, computed by the integration test from the Avro
 * records it produced, with code of its own (it imports nothing from the bridge): a
 * record is decodable if it is a Confluent frame with the registered id whose body avsc
 * reads exactly; then each kind maps as the README's bronze-bridge table says.
 */
export type Expected =
  | { readonly kind: 'bridged'; readonly topic: 'events' | 'customerChanges' | 'products'; readonly key: string; readonly value: unknown }
  | { readonly kind: 'dead'; readonly errorClass: string };

type Rec = Record<string, unknown>;

export function decode(schemaFile: string, registeredId: number, value: Buffer): Rec | undefined {
  if (value.length < 5 || value[0] !== 0 || value.readUInt32BE(1) !== registeredId) return undefined;
  const schema = (SCHEMAS as Record<string, object>)[schemaFile]!;
  try {
    return avro.Type.forSchema(schema as avro.Schema, { logicalTypes: LOGICAL_TYPES }).fromBuffer(value.subarray(5)) as Rec;
  } catch {
    return undefined;
  }
}

/** Decimal text with 4 fraction digits as ten-thousandths, and back. */
const units = (text: string): bigint => {
  const [whole, frac = ''] = text.split('.');
  const sign = whole!.startsWith('-') ? -1n : 1n;
  return sign * (BigInt(whole!.replace('-', '')) * 10_000n + BigInt((frac + '0000').slice(0, 4)));
};
const text4 = (u: bigint): string => {
  const neg = u < 0n;
  const a = neg ? -u : u;
  return `${neg ? '-' : ''}${a / 10_000n}.${String(a % 10_000n).padStart(4, '0')}`;
};

export function expectedSale(o: Rec): Expected {
  const lines = o.lines as Rec[];
  const customer = (orderId: string) => (o.customer_id === null ? `guest:${orderId}` : String(o.customer_id));
  if (o.status === 'PLACED') {
    // The clickstream user who placed it, when the source knows (the simulator does; UCI does not).
    const user = o.user_id === null || o.user_id === undefined ? {} : { userId: (o.user_id as number).toFixed(0) };
    return {
      kind: 'bridged', topic: 'events', key: o.event_id as string,
      value: {
        type: 'order', eventId: o.event_id, time: o.event_time, orderId: o.order_id, customerId: customer(o.order_id as string), ...user, channel: o.channel ?? 'direct', country: o.country ?? 'unknown', currency: o.currency,
        lines: lines.map((l) => ({ productId: l.product_id, category: l.category_code ?? 'unknown', quantity: l.quantity, unitPrice: text4(units(l.unit_price as string)) })),
      },
    };
  }
  if (o.status === 'CANCELLED' || o.status === 'RETURNED') {
    const orderId = (o.cancels_order_id ?? o.order_id) as string;
    const amount = lines.reduce((s, l) => s + units(l.unit_price as string) * BigInt(Math.abs(l.quantity as number)), 0n);
    return { kind: 'bridged', topic: 'events', key: o.event_id as string, value: { type: 'cancellation', eventId: o.event_id, time: o.event_time, orderId, customerId: customer(orderId), currency: o.currency, amount: text4(amount) } };
  }
  return { kind: 'dead', errorClass: 'NO_CONTRACT' };
}

export function expectedClick(e: Rec): Expected {
  const page = e.page_url ?? (e.search_query !== null ? `search:${e.search_query as string}` : 'unknown');
  return {
    kind: 'bridged', topic: 'events', key: e.event_id as string,
    value: { type: 'click', eventId: e.event_id, time: e.event_time, userId: String(e.user_id), eventType: e.event_type, channel: e.channel ?? 'direct', page, campaign: e.campaign_id, productId: e.product_id },
  };
}

/** Spend statements of one partition in offset order: each becomes the increase over the last applied one. */
export function spendTracker(): (s: Rec) => Expected {
  const applied = new Map<string, { at: number; units: bigint }>();
  return (s) => {
    const key = `${s.campaign_id as string}|${s.day as number}|${s.channel as string}`;
    const id = `spend:${s.campaign_id as string}:${s.day as number}:${s.channel as string}:${s.updated_at as number}`;
    const stated = units(s.spend as string);
    const last = applied.get(key);
    const event = (amount: bigint): Expected => ({ kind: 'bridged', topic: 'events', key: id, value: { type: 'spend', eventId: id, time: (s.day as number) * 86_400_000, campaign: s.campaign_id, channel: s.channel, currency: s.currency, amount: text4(amount) } });
    if (last !== undefined && (s.updated_at as number) <= last.at) return event(0n);
    const delta = stated - (last?.units ?? 0n);
    if (delta < 0n) return { kind: 'dead', errorClass: 'MAPPING_ERROR' };
    applied.set(key, { at: s.updated_at as number, units: stated });
    return event(delta);
  };
}

export function expectedProfile(p: Rec, offset: number): Expected {
  const attributes = { name: p.full_name, email: p.email, city: p.city, country: p.country, segment: p.loyalty_tier, marketingOptIn: p.marketing_opt_in, ...(p.deleted === true ? { deleted: true } : {}) };
  return { kind: 'bridged', topic: 'customerChanges', key: String(p.customer_id), value: { customerId: String(p.customer_id), effectiveFrom: p.updated_at, attributes, sequence: offset } };
}

export function expectedProduct(p: Rec): Expected {
  if ((p.name as string).trim() === '') return { kind: 'dead', errorClass: 'MAPPING_ERROR' };
  return { kind: 'bridged', topic: 'products', key: p.product_id as string, value: { productId: p.product_id, name: p.name, category: p.category_code ?? 'unknown' } };
}
