import { parseFraction, roundHalfEven } from './exact.ts';

/**
 * The oracle's reading of the input events (same contract as topologies/logic/README.md,
 * implemented again from the text). Amounts become base-currency cents at once: a line is
 * quantity × unit price × rate, rounded half-even to the cent per line.
 */
export interface OracleRates {
  readonly base: string;
  readonly rates: Readonly<Record<string, string>>;
}

export type OracleEvent =
  | { kind: 'order'; id: string; t: number; order: string; customer: string; /** whose clicks lead to the order: userId if given, else the customer */ clicker: string; channel: string; country: string; lines: { product: string; category: string; units: number; cents: bigint }[] }
  | { kind: 'cancellation'; id: string; t: number; order: string; customer: string; cents: bigint }
  | { kind: 'click'; id: string; t: number; user: string; type: string; channel: string; page: string; campaign: string | null; product: string | null }
  | { kind: 'spend'; id: string; t: number; campaign: string; channel: string; cents: bigint };

type Raw = Record<string, unknown>;
const text = (v: unknown): v is string => typeof v === 'string' && v !== '';
const decimalText = (v: unknown): v is string => typeof v === 'string' && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(v);
const sign = (v: string): number => Math.sign(Number(parseFraction(v).num));

function centsOf(amount: string, currency: string, rates: OracleRates, times = 1n): bigint {
  const rate = currency === rates.base ? { num: 1n, den: 1n } : parseFraction(rates.rates[currency]!);
  const a = parseFraction(amount);
  return roundHalfEven(a.num * rate.num * times * 100n, a.den * rate.den);
}

/** The typed event, or null when the raw event is malformed. */
export function readEvent(raw: unknown, rates: OracleRates): OracleEvent | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const r = raw as Raw;
  if (!text(r.eventId) || typeof r.time !== 'number' || !Number.isSafeInteger(r.time)) return null;
  const known = text(r.currency) && (r.currency === rates.base || Object.prototype.hasOwnProperty.call(rates.rates, r.currency));
  const base = { id: r.eventId, t: r.time };
  if (r.type === 'order') {
    if (![r.orderId, r.customerId, r.channel, r.country].every(text) || !known || !Array.isArray(r.lines) || r.lines.length === 0) return null;
    if (r.userId !== undefined && r.userId !== null && !text(r.userId)) return null;
    const lines = [];
    for (const l of r.lines as Raw[]) {
      if (l === null || typeof l !== 'object' || !text(l.productId) || !text(l.category)) return null;
      if (typeof l.quantity !== 'number' || !Number.isSafeInteger(l.quantity) || l.quantity < 1) return null;
      if (!decimalText(l.unitPrice) || sign(l.unitPrice) <= 0) return null;
      lines.push({ product: l.productId, category: l.category, units: l.quantity, cents: centsOf(l.unitPrice, r.currency as string, rates, BigInt(l.quantity)) });
    }
    return { kind: 'order', ...base, order: r.orderId as string, customer: r.customerId as string, clicker: text(r.userId) ? r.userId : (r.customerId as string), channel: r.channel as string, country: r.country as string, lines };
  }
  if (r.type === 'cancellation') {
    if (!text(r.orderId) || !text(r.customerId) || !known || !decimalText(r.amount) || sign(r.amount) <= 0) return null;
    return { kind: 'cancellation', ...base, order: r.orderId, customer: r.customerId, cents: centsOf(r.amount, r.currency as string, rates) };
  }
  if (r.type === 'click') {
    if (![r.userId, r.eventType, r.channel, r.page].every(text)) return null;
    if (!(r.campaign === null || text(r.campaign)) || !(r.productId === null || text(r.productId))) return null;
    return { kind: 'click', ...base, user: r.userId as string, type: r.eventType as string, channel: r.channel as string, page: r.page as string, campaign: r.campaign, product: r.productId };
  }
  if (r.type === 'spend') {
    if (!text(r.campaign) || !text(r.channel) || !known || !decimalText(r.amount) || sign(r.amount) < 0) return null;
    return { kind: 'spend', ...base, campaign: r.campaign, channel: r.channel, cents: centsOf(r.amount, r.currency as string, rates) };
  }
  return null;
}
