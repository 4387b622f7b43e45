import { describe, expect, it } from 'vitest';
import { DEFAULT_SEGMENT_MAP, loadSegmentMap, segmentOf, SegmentMapError } from '../../../../topologies/logic/rfm/segment-map.ts';

describe('R × F segment map (data)', () => {
  it('maps the scores as the published regex map does', () => {
    const expected: [number, number, string][] = [
      [1, 1, 'hibernating'], [2, 2, 'hibernating'], [1, 3, 'at_risk'], [2, 4, 'at_risk'], [1, 5, 'cant_lose'],
      [3, 1, 'about_to_sleep'], [3, 2, 'about_to_sleep'], [3, 3, 'need_attention'], [3, 4, 'loyal_customers'],
      [4, 5, 'loyal_customers'], [4, 1, 'promising'], [5, 1, 'new_customers'], [4, 2, 'potential_loyalists'],
      [5, 3, 'potential_loyalists'], [5, 4, 'champions'], [5, 5, 'champions'],
    ];
    for (const [r, f, segment] of expected) expect(segmentOf(DEFAULT_SEGMENT_MAP, r, f)).toBe(segment);
    expect(DEFAULT_SEGMENT_MAP.segments).toHaveLength(10);
  });

  it('rejects a map with a gap or an overlap, naming the cell', () => {
    const full = { segments: [{ segment: 'all', recency: [1, 2, 3, 4, 5], frequency: [1, 2, 3, 4, 5] }] };
    expect(loadSegmentMap(full).lookup[4]![4]).toBe('all');
    const gap = { segments: [{ segment: 'most', recency: [1, 2, 3, 4, 5], frequency: [1, 2, 3, 4] }] };
    expect(() => loadSegmentMap(gap)).toThrow(new SegmentMapError('R=1 F=5 belongs to no segment'));
    const overlap = { segments: [...full.segments, { segment: 'twice', recency: [2], frequency: [3] }] };
    expect(() => loadSegmentMap(overlap)).toThrow(new SegmentMapError('R=2 F=3 is in both "all" and "twice"'));
    expect(() => segmentOf(DEFAULT_SEGMENT_MAP, 0, 3)).toThrow('scores out of range: R=0 F=3');
  });
});
