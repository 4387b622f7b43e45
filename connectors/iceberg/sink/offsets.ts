import { parseJson } from '../internal/lossless-json.ts';
import type { TableMetadata } from '../metadata/table-metadata.ts';
import { currentSnapshot } from '../metadata/table-metadata.ts';

/**
 * The snapshot summary key under which the sink records, for every topic partition it
 * has written into the table, the next offset to read: `{"topic": {"0": 1234, ...}}`.
 * Each commit stores the complete map, so the newest snapshot that has the key tells
 * where to resume; snapshots without it (compaction, for instance) are skipped.
 */
export const OFFSETS_KEY = 'streamhouse.kafka.offsets';

/** topic → partition → next offset. */
export type Offsets = Map<string, Map<number, bigint>>;

export function encodeOffsets(o: Offsets): string {
  const obj: Record<string, Record<string, string>> = {};
  for (const [topic, parts] of [...o].sort(([a], [b]) => a.localeCompare(b))) {
    obj[topic] = Object.fromEntries([...parts].sort(([a], [b]) => a - b).map(([p, off]) => [String(p), off.toString()]));
  }
  return JSON.stringify(obj);
}

export function decodeOffsets(text: string): Offsets {
  const obj = parseJson<Record<string, Record<string, string | number>>>(text);
  return new Map(Object.entries(obj).map(([t, parts]) => [t, new Map(Object.entries(parts).map(([p, o]) => [Number(p), BigInt(o)]))]));
}

/** The offsets of the newest snapshot on the main branch's ancestry that records them. */
export function offsetsOf(m: TableMetadata): Offsets {
  let s = currentSnapshot(m);
  const byId = new Map(m.snapshots.map((x) => [String(x['snapshot-id']), x]));
  while (s) {
    const text = s.summary[OFFSETS_KEY];
    if (text) return decodeOffsets(text);
    s = s['parent-snapshot-id'] === undefined ? undefined : byId.get(String(s['parent-snapshot-id']));
  }
  return new Map();
}

/** The summary entry that carries the newest offsets forward (for maintenance commits). */
export function carryOffsets(m: TableMetadata): Record<string, string> {
  const o = offsetsOf(m);
  return o.size ? { [OFFSETS_KEY]: encodeOffsets(o) } : {};
}

export function sameOffsets(a: Offsets, b: Offsets, topics: string[]): boolean {
  for (const t of topics) {
    const x = a.get(t) ?? new Map<number, bigint>();
    const y = b.get(t) ?? new Map<number, bigint>();
    if (x.size !== y.size) return false;
    for (const [p, o] of x) if (y.get(p) !== o) return false;
  }
  return true;
}
