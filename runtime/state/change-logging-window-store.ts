import { ChangeLoggingSegmentedStore } from './internal/change-logging-segmented-store.ts';
import type { SegmentedWindowStore } from './segmented-window-store.ts';
import type { WindowEntry, WindowStore, WindowValue } from './window-store.ts';

/**
 * Logs every window write to the changelog with key `[key][window start]` (plus the
 * sequence number for duplicate-retaining stores), the same bytes `restore` takes back.
 * Timestamp: the event time of the record being processed (else the window start).
 * Restoration is not logged. The logging itself is in internal/change-logging-segmented-store.ts.
 */
export class ChangeLoggingWindowStore extends ChangeLoggingSegmentedStore<SegmentedWindowStore> implements WindowStore<Buffer, Buffer> {
  get windowSize(): number {
    return this.inner.windowSize;
  }
  get retainDuplicates(): boolean {
    return this.inner.retainDuplicates;
  }

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    if (this.inner.retainDuplicates && value === null) return;
    this.putEncoded(this.inner.changelogKey(key, windowStart), value);
  }

  fetch(key: Buffer, windowStart: number): Buffer | undefined {
    return this.inner.fetch(key, windowStart);
  }

  fetchRange(key: Buffer, timeFrom: number, timeTo: number): AsyncIterable<WindowValue<Buffer>> {
    return this.inner.fetchRange(key, timeFrom, timeTo);
  }

  fetchKeyRange(keyFrom: Buffer | undefined, keyTo: Buffer | undefined, timeFrom: number, timeTo: number): AsyncIterable<WindowEntry<Buffer, Buffer>> {
    return this.inner.fetchKeyRange(keyFrom, keyTo, timeFrom, timeTo);
  }

  all(): AsyncIterable<WindowEntry<Buffer, Buffer>> {
    return this.inner.all();
  }
}
