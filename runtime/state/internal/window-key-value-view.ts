import type { KeyValueIteratorEntry } from '../state-store.ts';
import type { WindowStore } from '../window-store.ts';
import { EncodedStoreView } from './encoded-store-view.ts';
import type { EncodedStore } from './segmented-store.ts';
import { decodeWindowKey, windowKey } from './window-key-codec.ts';

/** A window store that takes writes by changelog key (SegmentedWindowStore, ChangeLoggingWindowStore). */
export interface EncodedWindowStore extends WindowStore<Buffer, Buffer>, EncodedStore {
  readonly retainDuplicates: boolean;
}

/**
 * A window store seen as a byte key-value store keyed by `[key][window start]`, so the
 * key-value caching layer can sit in front of it. Only what the cache uses is supported:
 * point reads and writes, and `range` between two windows of ONE key (the store's
 * `fetchRange`, which is in the same byte order); `all` is not.
 */
export class WindowKeyValueView extends EncodedStoreView<EncodedWindowStore> {
  constructor(window: EncodedWindowStore) {
    super(window, 'window');
  }

  get(changelogKey: Buffer): Buffer | undefined {
    const { key, windowStart } = decodeWindowKey(changelogKey, false);
    return this.store.fetch(key, windowStart);
  }

  async *range(from?: Buffer, to?: Buffer): AsyncGenerator<KeyValueIteratorEntry<Buffer, Buffer>> {
    if (from === undefined || to === undefined) throw new TypeError('a window key-value view scans between two windows of one key');
    const lower = decodeWindowKey(from, false);
    const upper = decodeWindowKey(to, false);
    for await (const w of this.store.fetchRange(lower.key, lower.windowStart, upper.windowStart)) {
      yield { key: windowKey(lower.key, w.windowStart), value: w.value };
    }
  }
}
