import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CustomerVersion } from '../../../../topologies/logic/scd2/customer-dimension.ts';
import { joinCustomer, keptOrderKey, keptOrderRange, rejoin, withinHorizon, type KeptOrder } from '../../../../topologies/logic/scd2/order-rejoin.ts';

/** Re-joining kept orders: the versions below are written by hand, not derived by the code under test. */
const H = 3_600_000;
const v = (surrogateKey: string, version: number, effectiveFrom: number, effectiveTo: number | null, attributeHash: string): CustomerVersion => ({
  surrogateKey,
  customerId: 'c1',
  version,
  effectiveFrom,
  effectiveTo,
  isCurrent: effectiveTo === null,
  attributeHash,
  attributes: { city: attributeHash },
});
const kept = (orderTime: number, customer: KeptOrder<string>['customer']): KeptOrder<string> => ({ order: 'o', orderTime, timestamp: 7, revision: 0, customer });
const joined = (sk: string, version: number, hash: string) => ({ surrogateKey: sk, version, attributeHash: hash, attributes: { city: hash } });

// Berlin from 100, Paris from 200.
const before = [v('k100', 1, 100, 200, 'berlin'), v('k200', 2, 200, null, 'paris')];

describe('re-joining orders after a customer change', () => {
  it('joins the version valid at the time: effective_from inclusive, effective_to exclusive', () => {
    expect(joinCustomer(before, 99)).toBeNull();
    expect(joinCustomer(before, 100)).toEqual(joined('k100', 1, 'berlin'));
    expect(joinCustomer(before, 199)).toEqual(joined('k100', 1, 'berlin'));
    expect(joinCustomer(before, 200)).toEqual(joined('k200', 2, 'paris'));
  });

  it('corrects an order whose time a back-dated version now covers, with revision + 1', () => {
    // Rome inserted at 150: Berlin [100, 150), Rome [150, 200), Paris [200, ∞) renumbered 3.
    const after = [v('k100', 1, 100, 150, 'berlin'), v('k150', 2, 150, 200, 'rome'), v('k200', 3, 200, null, 'paris')];
    expect(rejoin(kept(160, joined('k100', 1, 'berlin')), after)).toEqual({ order: 'o', orderTime: 160, timestamp: 7, revision: 1, customer: joined('k150', 2, 'rome') });
    expect(rejoin(kept(150, joined('k100', 1, 'berlin')), after)!.customer).toEqual(joined('k150', 2, 'rome'));
    // Still Berlin v1 at 149: the version closed earlier, but the order's join is the same.
    expect(rejoin(kept(149, joined('k100', 1, 'berlin')), after)).toBeUndefined();
    // Paris keeps its key but is version 3 now: the published version number changes.
    expect(rejoin(kept(250, joined('k200', 2, 'paris')), after)!.customer).toEqual(joined('k200', 3, 'paris'));
  });

  it('corrects an order joined to nothing, and one whose version changed attributes at the same start', () => {
    const earlier = [v('k50', 1, 50, 200, 'berlin'), v('k200', 2, 200, null, 'paris')];
    expect(rejoin(kept(60, null), earlier)!.customer).toEqual(joined('k50', 1, 'berlin'));
    const replaced = [v('k100', 1, 100, 200, 'berlin'), v('k200', 2, 200, null, 'lyon')];
    expect(rejoin({ ...kept(300, joined('k200', 2, 'paris')), revision: 4 }, replaced)).toMatchObject({ revision: 5, customer: joined('k200', 2, 'lyon') });
  });

  it('re-emits nothing when the versions are the same (a replay)', () => {
    expect(rejoin(kept(150, joined('k100', 1, 'berlin')), before)).toBeUndefined();
    expect(rejoin(kept(10, null), before)).toBeUndefined();
  });

  it('keeps an order exactly the horizon behind stream time, not one millisecond more', () => {
    expect(withinHorizon(1000 - 48 * H, 1000, 48 * H)).toBe(true);
    expect(withinHorizon(999 - 48 * H, 1000, 48 * H)).toBe(false);
    expect(withinHorizon(2000, 1000, 48 * H)).toBe(true);
  });

  it('the key range of a customer holds exactly its orders, in byte order (property)', () => {
    const inRange = (key: string, customerId: string) => {
      const { from, to } = keptOrderRange(customerId);
      const k = Buffer.from(key);
      return Buffer.compare(k, Buffer.from(from)) >= 0 && Buffer.compare(k, Buffer.from(to)) <= 0;
    };
    expect(inRange(keptOrderKey('c1', 'o1'), 'c1')).toBe(true);
    expect(inRange(keptOrderKey('c1x', 'o1'), 'c1')).toBe(false);
    expect(inRange(keptOrderKey('c1"', 'o1'), 'c1')).toBe(false);
    expect(inRange(keptOrderKey('c1', '\u{10FFFF}'), 'c1')).toBe(true);
    const id = fc.string({ unit: 'binary', maxLength: 6 });
    // The other customer is the same, an extension of it, or any id.
    const other = (a: string) => fc.oneof(fc.constant(a), id.map((s) => a + s), id);
    fc.assert(
      fc.property(id.chain((a) => fc.tuple(fc.constant(a), other(a), id)), ([a, b, order]) => inRange(keptOrderKey(b, order), a) === (a === b)),
      { numRuns: 1000 },
    );
  });
});
