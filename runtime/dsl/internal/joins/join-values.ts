import type { JoinType } from '../../joined.ts';

/**
 * The joined value for one side's value and the other's, or null when this join type
 * yields no row: inner needs both, left needs the left one, outer either.
 */
export function joinValues<L, R, VR>(
  type: JoinType,
  left: L | null,
  right: R | null,
  joiner: (l: L | null, r: R | null) => VR,
): VR | null {
  if (left === null && right === null) return null;
  if (type === 'inner' && (left === null || right === null)) return null;
  if (type === 'left' && left === null) return null;
  return joiner(left, right);
}
