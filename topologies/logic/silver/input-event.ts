import { isDecimalText } from '../money/decimal.ts';
import { isKnownCurrency, type RatesTable } from '../money/currency.ts';

/**
 * The events the gold layer is computed from, as they arrive (JSON objects), and their
 * validation. An event that fails validation is malformed: it goes to the DLQ with the
 * reason and counts for nothing downstream. Common fields: `type`, `eventId` (non-empty),
 * `time` (event time, epoch ms, a safe integer).
 * - order: orderId, customerId, channel, country, currency (in the rates table), lines:
 *   a non-empty array of { productId, category, quantity (integer > 0), unitPrice (decimal
 *   string > 0) }; optional userId (absent, null or a non-empty string): the clickstream
 *   user who placed the order, when it is not the customer id (see `clickstreamUserOf`).
 * - cancellation: orderId, customerId, currency, amount (decimal string > 0).
 * - click: userId, eventType, channel, page, campaign (string or null), productId (string or null).
 * - spend: campaign, channel, currency, amount (decimal string ≥ 0).
 */
export interface OrderLine { readonly productId: string; readonly category: string; readonly quantity: number; readonly unitPrice: string }
interface Base { readonly eventId: string; readonly time: number }
export interface OrderEvent extends Base {
  readonly type: 'order';
  readonly orderId: string;
  readonly customerId: string;
  /** The clickstream user who placed the order, when known and not the customer id itself. */
  readonly userId?: string | null;
  readonly channel: string;
  readonly country: string;
  readonly currency: string;
  readonly lines: readonly OrderLine[];
}
export interface CancellationEvent extends Base { readonly type: 'cancellation'; readonly orderId: string; readonly customerId: string; readonly currency: string; readonly amount: string }
export interface ClickStreamEvent extends Base { readonly type: 'click'; readonly userId: string; readonly eventType: string; readonly channel: string; readonly page: string; readonly campaign: string | null; readonly productId: string | null }
export interface SpendEvent extends Base { readonly type: 'spend'; readonly campaign: string; readonly channel: string; readonly currency: string; readonly amount: string }
export type InputEvent = OrderEvent | CancellationEvent | ClickStreamEvent | SpendEvent;

export type Validation = { readonly ok: true; readonly event: InputEvent } | { readonly ok: false; readonly reason: string };

type Obj = Record<string, unknown>;
const str = (o: Obj, k: string) => typeof o[k] === 'string' && (o[k] as string).length > 0;
const strOrNull = (o: Obj, k: string) => o[k] === null || str(o, k);
const positive = (v: unknown) => typeof v === 'string' && isDecimalText(v) && !v.trim().startsWith('-') && /[1-9]/.test(v);
const nonNegative = (v: unknown) => typeof v === 'string' && isDecimalText(v) && (!v.trim().startsWith('-') || !/[1-9]/.test(v));

function missing(o: Obj, keys: readonly string[]): string | undefined {
  return keys.find((k) => !str(o, k));
}

function lineProblem(line: unknown): string | undefined {
  if (typeof line !== 'object' || line === null) return 'a line is not an object';
  const l = line as Obj;
  const m = missing(l, ['productId', 'category']);
  if (m !== undefined) return `line field ${m} is missing or empty`;
  if (!Number.isSafeInteger(l.quantity) || (l.quantity as number) <= 0) return 'line quantity must be an integer > 0';
  if (!positive(l.unitPrice)) return 'line unitPrice must be a decimal string > 0';
  return undefined;
}

function problem(o: Obj, rates: RatesTable): string | undefined {
  if (!str(o, 'eventId')) return 'eventId is missing or empty';
  if (!Number.isSafeInteger(o.time)) return 'time must be epoch milliseconds';
  const currency = () => (isKnownCurrency(rates, o.currency as string) ? undefined : `unknown currency ${String(o.currency)}`);
  switch (o.type) {
    case 'order': {
      const m = missing(o, ['orderId', 'customerId', 'channel', 'country', 'currency']);
      if (m !== undefined) return `${m} is missing or empty`;
      if (!(o.userId === undefined || strOrNull(o, 'userId'))) return 'userId must be a non-empty string, null or absent';
      if (!Array.isArray(o.lines) || o.lines.length === 0) return 'an order needs at least one line';
      return o.lines.map(lineProblem).find((p) => p !== undefined) ?? currency();
    }
    case 'cancellation': {
      const m = missing(o, ['orderId', 'customerId', 'currency']);
      if (m !== undefined) return `${m} is missing or empty`;
      return positive(o.amount) ? currency() : 'amount must be a decimal string > 0';
    }
    case 'click': {
      const m = missing(o, ['userId', 'eventType', 'channel', 'page']);
      if (m !== undefined) return `${m} is missing or empty`;
      return strOrNull(o, 'campaign') && strOrNull(o, 'productId') ? undefined : 'campaign and productId must be strings or null';
    }
    case 'spend': {
      const m = missing(o, ['campaign', 'channel', 'currency']);
      if (m !== undefined) return `${m} is missing or empty`;
      return nonNegative(o.amount) ? currency() : 'amount must be a decimal string >= 0';
    }
    default:
      return `unknown event type ${JSON.stringify(o.type)}`;
  }
}

/**
 * The clickstream identity of an order: the user whose clicks (campaign touches, sessions,
 * product views) lead to it. That is the order's `userId` when the source knows it (the
 * simulator's users become customers under another number), else the customer id (sources
 * whose clicks carry the customer id). Everything customer-based (RFM, the customer
 * dimension, the features' key) keeps `customerId`.
 */
export const clickstreamUserOf = (order: OrderEvent): string => order.userId ?? order.customerId;

export function validateEvent(raw: unknown, rates: RatesTable): Validation {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'not an object' };
  const reason = problem(raw as Obj, rates);
  return reason === undefined ? { ok: true, event: raw as InputEvent } : { ok: false, reason };
}
