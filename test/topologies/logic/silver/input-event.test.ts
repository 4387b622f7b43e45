import { describe, expect, it } from 'vitest';
import { clickstreamUserOf, validateEvent, type OrderEvent } from '../../../../topologies/logic/silver/input-event.ts';
import { SilverGate } from '../../../../topologies/logic/silver/silver-gate.ts';

const RATES = { base: 'EUR', rates: { USD: '0.90' } };
const ORDER = { type: 'order', eventId: 'e1', time: 1_700_000_000_000, orderId: 'o1', customerId: 'u1', channel: 'web', country: 'DE', currency: 'USD', lines: [{ productId: 'p1', category: 'toys', quantity: 2, unitPrice: '9.99' }] };
const reason = (raw: unknown) => {
  const v = validateEvent(raw, RATES);
  return v.ok ? 'ok' : v.reason;
};

describe('input event validation', () => {
  it('accepts well-formed events of every type', () => {
    expect(reason(ORDER)).toBe('ok');
    expect(reason({ ...ORDER, userId: null })).toBe('ok');
    expect(reason({ ...ORDER, userId: '512000007' })).toBe('ok');
    expect(reason({ type: 'cancellation', eventId: 'x', time: 1, orderId: 'o1', customerId: 'u1', currency: 'EUR', amount: '1.00' })).toBe('ok');
    expect(reason({ type: 'click', eventId: 'k', time: 1, userId: 'u1', eventType: 'view', channel: 'web', page: '/', campaign: null, productId: null })).toBe('ok');
    expect(reason({ type: 'spend', eventId: 's', time: 1, campaign: 'c', channel: 'web', currency: 'EUR', amount: '0.00' })).toBe('ok');
  });

  it('names the reason a malformed event is rejected', () => {
    expect(reason(null)).toBe('not an object');
    expect(reason({ ...ORDER, eventId: '' })).toBe('eventId is missing or empty');
    expect(reason({ ...ORDER, time: '2024-01-01' })).toBe('time must be epoch milliseconds');
    expect(reason({ ...ORDER, type: 'refund' })).toBe('unknown event type "refund"');
    expect(reason({ ...ORDER, country: undefined })).toBe('country is missing or empty');
    expect(reason({ ...ORDER, lines: [] })).toBe('an order needs at least one line');
    expect(reason({ ...ORDER, userId: '' })).toBe('userId must be a non-empty string, null or absent');
    expect(reason({ ...ORDER, userId: 512000007 })).toBe('userId must be a non-empty string, null or absent');
    expect(reason({ ...ORDER, lines: [{ ...ORDER.lines[0], quantity: 0 }] })).toBe('line quantity must be an integer > 0');
    expect(reason({ ...ORDER, lines: [{ ...ORDER.lines[0], unitPrice: '0.00' }] })).toBe('line unitPrice must be a decimal string > 0');
    expect(reason({ ...ORDER, lines: [{ ...ORDER.lines[0], unitPrice: 9.99 }] })).toBe('line unitPrice must be a decimal string > 0');
    expect(reason({ ...ORDER, currency: 'JPY' })).toBe('unknown currency JPY');
    expect(reason({ type: 'spend', eventId: 's', time: 1, campaign: 'c', channel: 'web', currency: 'EUR', amount: '-1' })).toBe('amount must be a decimal string >= 0');
    expect(reason({ type: 'click', eventId: 'k', time: 1, userId: 'u1', eventType: 'view', channel: 'web', page: '/', campaign: 3, productId: null })).toBe('campaign and productId must be strings or null');
  });
});

describe('clickstream identity of an order', () => {
  it('is the order\'s userId when it has one, else the customer id', () => {
    const order = ORDER as OrderEvent;
    expect(clickstreamUserOf(order)).toBe('u1');
    expect(clickstreamUserOf({ ...order, userId: null })).toBe('u1');
    expect(clickstreamUserOf({ ...order, userId: '512000007' })).toBe('512000007');
  });
});

describe('silver gate', () => {
  it('puts every bronze record in exactly one bucket, in the documented order', () => {
    const H = 3_600_000;
    const gate = new SilverGate(RATES);
    const at = (eventId: string, time: number) => ({ ...ORDER, eventId, time });
    const results = [at('a', 100 * H), at('a', 100 * H), at('b', 40 * H), { ...at('c', 100 * H), currency: 'XXX' }, at('b', 60 * H), at('a', 40 * H)].map((e) => gate.admit(e).admission);
    // the late copy of 'a' is counted late, not duplicate: lateness is checked first
    expect(results).toEqual(['accepted', 'duplicate', 'late', 'malformed', 'accepted', 'late']);
    expect(gate.counts).toEqual({ input: 6, accepted: 2, malformed: 1, late: 2, duplicates: 1 });
  });
});
