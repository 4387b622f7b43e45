import type { ClassicLevel } from 'classic-level';
import type { KeyValueIteratorEntry } from '../state-store.ts';

const SCAN_BATCH = 1000;

/**
 * Opens a LevelDB iterator now (classic-level takes its snapshot when `iterator()` is
 * called, so the caller can pair it with an overlay snapshot taken at the same moment)
 * and yields its entries in byte order, reading them in batches of 1000 with `nextv`.
 * The iterator is closed when the consumer finishes or breaks out.
 */
export function scanLevel(
  db: ClassicLevel<Buffer, Buffer>,
  from?: Buffer,
  to?: Buffer,
): AsyncGenerator<KeyValueIteratorEntry<Buffer, Buffer>> {
  const iterator = db.iterator({
    ...(from === undefined ? {} : { gte: from }),
    ...(to === undefined ? {} : { lte: to }),
  });
  return (async function* () {
    try {
      for (;;) {
        const entries = await iterator.nextv(SCAN_BATCH);
        if (entries.length === 0) return;
        for (const [key, value] of entries) yield { key, value };
      }
    } finally {
      await iterator.close();
    }
  })();
}

/** Counts the keys of a database (a keys-only scan). */
export async function countLevelKeys(db: ClassicLevel<Buffer, Buffer>): Promise<number> {
  const iterator = db.keys();
  let count = 0;
  try {
    for (;;) {
      const keys = await iterator.nextv(SCAN_BATCH * 10);
      if (keys.length === 0) return count;
      count += keys.length;
    }
  } finally {
    await iterator.close();
  }
}
