import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Attributes } from '../../../../topologies/logic/scd2/attribute-hash.ts';
import { addChange, versionsOf, type CustomerChange, type CustomerHistory, type CustomerVersion } from '../../../../topologies/logic/scd2/customer-dimension.ts';
import { applyCustomerChange, versionAsOf } from '../../../../topologies/logic/scd2/dimension-changes.ts';

const TRACKED = ['email', 'tier', 'city'];
const T = (day: number) => Date.UTC(2024, 0, day);
const change = (day: number, tier: string, extra: Attributes = {}): CustomerChange => ({ customerId: 'c1', effectiveFrom: T(day), attributes: { email: 'a@x.io', tier, city: 'Oslo', ...extra } });

function run(changes: readonly CustomerChange[]) {
  let history: CustomerHistory | undefined;
  const updates = changes.map((c) => {
    const u = applyCustomerChange(history, c, TRACKED);
    history = u.history;
    return u;
  });
  return { history: history!, updates, versions: updates.at(-1)!.versions };
}

const summary = (vs: readonly CustomerVersion[]) => vs.map((v) => [v.version, v.attributes.tier, v.effectiveFrom, v.effectiveTo, v.isCurrent]);

describe('customer dimension, SCD type 2', () => {
  it('inserts an out-of-order change in its place and re-closes the neighbours', () => {
    const { updates, versions } = run([change(1, 'bronze'), change(10, 'gold'), change(5, 'silver')]);
    expect(summary(versions)).toEqual([
      [1, 'bronze', T(1), T(5), false],
      [2, 'silver', T(5), T(10), false],
      [3, 'gold', T(10), null, true],
    ]);
    // the late change rewrites v1 (closed at day 5 instead of 10), adds silver, renumbers gold
    expect(summary(updates[2]!.upserts)).toEqual(summary(versions));
    expect(updates[2]!.deletes).toEqual([]);
  });

  it('makes no new version for an update with identical tracked attributes', () => {
    const { updates, versions } = run([change(1, 'bronze'), change(3, 'bronze', { last_login: '2024-01-03' }), change(3, 'bronze')]);
    expect(summary(versions)).toEqual([[1, 'bronze', T(1), null, true]]);
    expect(updates[1]!.upserts).toEqual([]);
    expect(versions[0]!.attributeHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('looks up the version valid at a time, half-open at the boundaries', () => {
    const { versions } = run([change(1, 'bronze'), change(5, 'silver'), change(10, 'gold')]);
    expect(versionAsOf(versions, T(1) - 1)).toBeUndefined();
    expect(versionAsOf(versions, T(1))!.attributes.tier).toBe('bronze');
    expect(versionAsOf(versions, T(5) - 1)!.attributes.tier).toBe('bronze');
    expect(versionAsOf(versions, T(5))!.attributes.tier).toBe('silver');
    expect(versionAsOf(versions, T(10))!.attributes.tier).toBe('gold');
    expect(versionAsOf(versions, T(400))!.attributes.tier).toBe('gold');
  });

  it('is idempotent on replay', () => {
    const changes = [change(1, 'bronze'), change(10, 'gold'), change(5, 'silver')];
    const first = run(changes);
    const again = run([...changes, ...changes]);
    expect(again.versions).toEqual(first.versions);
    expect(again.updates.slice(3).every((u) => u.upserts.length === 0 && u.deletes.length === 0)).toBe(true);
  });

  it('merges a back-dated change into the following version when the attributes match, moving its start and key', () => {
    const { updates, versions } = run([change(1, 'bronze'), change(10, 'gold'), change(7, 'gold')]);
    expect(summary(versions)).toEqual([
      [1, 'bronze', T(1), T(7), false],
      [2, 'gold', T(7), null, true],
    ]);
    expect(updates[2]!.deletes).toEqual([updates[1]!.versions[1]!.surrogateKey]);
  });

  it('breaks a tie at the same effective time by sequence, whatever the order', () => {
    const a = { ...change(4, 'silver'), sequence: 2 };
    const b = { ...change(4, 'gold'), sequence: 1 };
    expect(versionsOf(addChange(addChange(undefined, a, TRACKED), b, TRACKED))).toEqual(versionsOf(addChange(addChange(undefined, b, TRACKED), a, TRACKED)));
    expect(versionsOf(addChange(addChange(undefined, b, TRACKED), a, TRACKED))[0]!.attributes.tier).toBe('silver');
  });

  it('any arrival order of the same changes yields the same dimension (property)', () => {
    const changeArb = fc.record({ day: fc.integer({ min: 1, max: 12 }), tier: fc.constantFrom('bronze', 'silver', 'gold'), sequence: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }) });
    const arb = fc
      .array(changeArb, { minLength: 1, maxLength: 14 })
      .chain((cs) => fc.tuple(fc.constant(cs), fc.shuffledSubarray(cs, { minLength: cs.length, maxLength: cs.length })));
    fc.assert(
      fc.property(arb, ([inOrder, shuffled]) => {
        const toChange = (c: (typeof inOrder)[number]): CustomerChange => ({ ...change(c.day, c.tier), sequence: c.sequence });
        const a = run(inOrder.map(toChange)).versions;
        const b = run(shuffled.map(toChange)).versions;
        expect(b).toEqual(a);
        expect(a.filter((v) => v.isCurrent)).toHaveLength(1);
        a.forEach((v, i) => {
          if (i > 0) expect(v.effectiveFrom).toBe(a[i - 1]!.effectiveTo);
          if (i > 0) expect(v.attributeHash).not.toBe(a[i - 1]!.attributeHash);
        });
      }),
      { numRuns: 300 },
    );
  });
});
