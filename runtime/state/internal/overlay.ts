import type { KeyValueIteratorEntry } from '../state-store.ts';
import { compareKeyStrings, fromKeyString, inRange, type KeyStringRange } from './bytes.ts';

/** A pending change over a lower layer: bytes to put, or null for a delete. */
export type OverlayValue = Buffer | null;

/** One change in an overlay snapshot, sorted by `keyString`. */
export interface OverlayEntry {
  keyString: string;
  value: OverlayValue;
}

/**
 * Takes a sorted snapshot of the entries of `layers` that fall in `range`. Layers are
 * given newest first: when several hold one key, the first one wins. The snapshot is a
 * copy, so writes made while a scan is consuming it do not disturb the scan.
 */
export function snapshotOverlay(layers: ReadonlyArray<ReadonlyMap<string, OverlayValue>>, range: KeyStringRange): OverlayEntry[] {
  const seen = new Map<string, OverlayValue>();
  for (const layer of layers) {
    for (const [keyString, value] of layer) {
      if (!seen.has(keyString) && inRange(keyString, range)) seen.set(keyString, value);
    }
  }
  const entries: OverlayEntry[] = [];
  for (const [keyString, value] of seen) entries.push({ keyString, value });
  entries.sort((a, b) => compareKeyStrings(a.keyString, b.keyString));
  return entries;
}

/**
 * Merges a sorted overlay with a sorted scan of the layer below, in key byte order.
 * Algorithm: a two-way merge; on equal keys the overlay wins, and an overlay delete
 * (null) hides the lower entry. The lower iterator is closed when the consumer stops.
 */
export async function* mergeWithOverlay(
  overlay: readonly OverlayEntry[],
  lower: AsyncIterable<KeyValueIteratorEntry<Buffer, Buffer>>,
): AsyncGenerator<KeyValueIteratorEntry<Buffer, Buffer>> {
  let i = 0;
  for await (const entry of lower) {
    const lowerKey = entry.key.toString('latin1');
    while (i < overlay.length && overlay[i]!.keyString < lowerKey) {
      const o = overlay[i++]!;
      if (o.value !== null) yield { key: fromKeyString(o.keyString), value: o.value };
    }
    if (i < overlay.length && overlay[i]!.keyString === lowerKey) {
      const o = overlay[i++]!;
      if (o.value !== null) yield { key: entry.key, value: o.value };
      continue;
    }
    yield entry;
  }
  while (i < overlay.length) {
    const o = overlay[i++]!;
    if (o.value !== null) yield { key: fromKeyString(o.keyString), value: o.value };
  }
}
