import { addChange, versionsOf, type CustomerChange, type CustomerHistory, type CustomerVersion } from './customer-dimension.ts';

/**
 * One step of the dimension as a topology runs it: apply a change to the stored history
 * and say which version rows to upsert and which to delete downstream (compacted topic,
 * upsert lake table). A replayed or identical change yields no rows at all.
 */
export interface DimensionUpdate {
  readonly history: CustomerHistory;
  readonly versions: readonly CustomerVersion[];
  readonly upserts: readonly CustomerVersion[];
  readonly deletes: readonly string[];
}

const same = (a: CustomerVersion, b: CustomerVersion): boolean =>
  a.version === b.version && a.effectiveFrom === b.effectiveFrom && a.effectiveTo === b.effectiveTo && a.isCurrent === b.isCurrent && a.attributeHash === b.attributeHash;

export function applyCustomerChange(history: CustomerHistory | undefined, change: CustomerChange, tracked: readonly string[]): DimensionUpdate {
  const before = history === undefined ? [] : versionsOf(history);
  const next = addChange(history, change, tracked);
  const versions = next === history ? before : versionsOf(next);
  const old = new Map(before.map((v) => [v.surrogateKey, v]));
  const upserts = versions.filter((v) => {
    const previous = old.get(v.surrogateKey);
    return previous === undefined || !same(previous, v);
  });
  const keys = new Set(versions.map((v) => v.surrogateKey));
  const deletes = before.filter((v) => !keys.has(v.surrogateKey)).map((v) => v.surrogateKey);
  return { history: next, versions, upserts, deletes };
}

/** The version valid at `time`: effective_from ≤ time < effective_to. */
export function versionAsOf(versions: readonly CustomerVersion[], time: number): CustomerVersion | undefined {
  return versions.find((v) => v.effectiveFrom <= time && (v.effectiveTo === null || time < v.effectiveTo));
}
