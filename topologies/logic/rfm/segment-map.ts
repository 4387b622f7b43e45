import defaultMapJson from '../../rfm-segments.json' with { type: 'json' };

/**
 * The R × F segment map is data (`topologies/rfm-segments.json` is the default): each
 * entry names a segment and the recency and frequency scores (1–5) it covers. A map is
 * validated once when it is loaded: every (R, F) pair must belong to exactly one segment.
 */
export interface SegmentRule {
  readonly segment: string;
  readonly label?: string;
  readonly recency: readonly number[];
  readonly frequency: readonly number[];
}

export interface SegmentMap {
  /** `lookup[r - 1][f - 1]` is the segment of scores (r, f). */
  readonly lookup: readonly (readonly string[])[];
  readonly segments: readonly string[];
}

export class SegmentMapError extends Error {
  override name = 'SegmentMapError';
}

export function loadSegmentMap(json: { segments: readonly SegmentRule[] }): SegmentMap {
  const grid: (string | undefined)[][] = Array.from({ length: 5 }, () => Array<string | undefined>(5).fill(undefined));
  for (const rule of json.segments) {
    for (const r of rule.recency) {
      for (const f of rule.frequency) {
        if (![r, f].every((s) => Number.isInteger(s) && s >= 1 && s <= 5)) throw new SegmentMapError(`segment "${rule.segment}": scores must be integers 1-5, got R=${r} F=${f}`);
        const taken = grid[r - 1]![f - 1];
        if (taken !== undefined) throw new SegmentMapError(`R=${r} F=${f} is in both "${taken}" and "${rule.segment}"`);
        grid[r - 1]![f - 1] = rule.segment;
      }
    }
  }
  const lookup = grid.map((row, r) =>
    row.map((segment, f) => {
      if (segment === undefined) throw new SegmentMapError(`R=${r + 1} F=${f + 1} belongs to no segment`);
      return segment;
    }),
  );
  return { lookup, segments: json.segments.map((s) => s.segment) };
}

export function segmentOf(map: SegmentMap, recencyScore: number, frequencyScore: number): string {
  const segment = map.lookup[recencyScore - 1]?.[frequencyScore - 1];
  if (segment === undefined) throw new RangeError(`scores out of range: R=${recencyScore} F=${frequencyScore}`);
  return segment;
}

export const DEFAULT_SEGMENT_MAP: SegmentMap = loadSegmentMap(defaultMapJson);
