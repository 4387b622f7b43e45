import { attributeHash, surrogateKey, trackedAttributes, type Attributes } from './attribute-hash.ts';

/**
 * SCD type 2 for the customer dimension.
 *
 * The state of one customer is the set of distinct change points it has received
 * (effective time, tracked attributes, hash). The versions are derived from it: points in
 * time order, consecutive points with the same hash merged into one version (an update
 * with identical attributes makes no new version), each version valid over the half-open
 * interval [effective_from, effective_to), the last one open (effective_to null) and
 * current. Because the versions are a function of the *set* of points:
 * - an out-of-order or back-dated change lands in its place and its neighbours are
 *   re-closed around it;
 * - replaying a change changes nothing (idempotent);
 * - any arrival order of the same changes gives the same dimension.
 * Two changes with the same effective time: the higher `sequence` wins, then the higher
 * hash, so the choice does not depend on arrival order either.
 * The surrogate key is derived from (natural key, effective_from), so a version keeps its
 * key unless a back-dated change moves its start.
 */
export interface CustomerChange {
  readonly customerId: string;
  readonly effectiveFrom: number;
  readonly attributes: Attributes;
  /** Source sequence (e.g. the changelog offset or updated_at), breaks ties at equal times. */
  readonly sequence?: number;
}

export interface ChangePoint {
  readonly effectiveFrom: number;
  readonly attributes: Attributes;
  readonly hash: string;
  readonly sequence: number;
}

export interface CustomerVersion {
  readonly surrogateKey: string;
  readonly customerId: string;
  readonly version: number;
  readonly effectiveFrom: number;
  /** Exclusive end; null while the version is current. */
  readonly effectiveTo: number | null;
  readonly isCurrent: boolean;
  readonly attributeHash: string;
  readonly attributes: Attributes;
}

export interface CustomerHistory {
  readonly customerId: string;
  readonly points: readonly ChangePoint[];
}

function wins(a: ChangePoint, b: ChangePoint): boolean {
  return a.sequence !== b.sequence ? a.sequence > b.sequence : a.hash > b.hash;
}

/** Adds a change to a customer's history (pure; returns the same object when nothing changes). */
export function addChange(history: CustomerHistory | undefined, change: CustomerChange, tracked: readonly string[]): CustomerHistory {
  const current = history ?? { customerId: change.customerId, points: [] };
  const point: ChangePoint = {
    effectiveFrom: change.effectiveFrom,
    attributes: trackedAttributes(change.attributes, tracked),
    hash: attributeHash(change.attributes, tracked),
    sequence: change.sequence ?? -1,
  };
  const index = current.points.findIndex((p) => p.effectiveFrom >= point.effectiveFrom);
  const existing = index === -1 ? undefined : current.points[index];
  if (existing !== undefined && existing.effectiveFrom === point.effectiveFrom) {
    if (!wins(point, existing)) return current;
    return { ...current, points: current.points.map((p, i) => (i === index ? point : p)) };
  }
  const at = index === -1 ? current.points.length : index;
  return { ...current, points: [...current.points.slice(0, at), point, ...current.points.slice(at)] };
}

export function versionsOf(history: CustomerHistory): CustomerVersion[] {
  const starts = history.points.filter((p, i) => i === 0 || p.hash !== history.points[i - 1]!.hash);
  return starts.map((p, i) => {
    const next = starts[i + 1];
    return {
      surrogateKey: surrogateKey(history.customerId, p.effectiveFrom),
      customerId: history.customerId,
      version: i + 1,
      effectiveFrom: p.effectiveFrom,
      effectiveTo: next === undefined ? null : next.effectiveFrom,
      isCurrent: next === undefined,
      attributeHash: p.hash,
      attributes: p.attributes,
    };
  });
}
