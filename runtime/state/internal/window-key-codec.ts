import { StateStoreError } from '../state-store-error.ts';

/*
 * Window store keys.
 *
 * Changelog key (also what `restore` receives), and the suffix of every stored key:
 *
 *   [ record key bytes : n ][ window start : 8, unsigned big-endian ms ][ seq : 4, big-endian ]?
 *
 * The record key has no length prefix: its length is the total length minus 8 (minus 12
 * when the store retains duplicates, which appends a sequence number so that equal
 * (key, start) pairs stay distinct, as stream-stream joins need).
 *
 * Stored key (LevelDB or memory), one prefix per time segment:
 *
 *   [ segment id : 8, unsigned big-endian ][ changelog key ]
 *
 * segment id = floor(window start / segment interval). Within a segment, entries sort by
 * record key bytes, then by window start, so "windows of key K between t1 and t2" is one
 * range scan per segment from [seg][K][t1] to [seg][K][t2]. Such a scan can also meet
 * longer keys that start with K's bytes; decoding (length = total − 8) tells them apart
 * and they are skipped. Expiring old windows deletes whole segments (a prefix range).
 * Times are non-negative integers below 2^53 (epoch milliseconds).
 */

export const TIME_BYTES = 8;
export const SEQ_BYTES = 4;

export function writeTime(target: Buffer, offset: number, time: number): void {
  if (!Number.isSafeInteger(time) || time < 0) {
    throw new StateStoreError('STORE_SERDE', `window time must be a non-negative integer, got ${time}`);
  }
  target.writeUInt32BE(Math.floor(time / 0x1_0000_0000), offset);
  target.writeUInt32BE(time >>> 0, offset + 4);
}

export function readTime(source: Buffer, offset: number): number {
  return source.readUInt32BE(offset) * 0x1_0000_0000 + source.readUInt32BE(offset + 4);
}

export function segmentPrefix(segmentId: number): Buffer {
  const prefix = Buffer.allocUnsafe(TIME_BYTES);
  writeTime(prefix, 0, segmentId);
  return prefix;
}

/** `[key][start]` or `[key][start][seq]`: the changelog key of one window. */
export function windowKey(key: Buffer, windowStart: number, seq?: number): Buffer {
  const out = Buffer.allocUnsafe(key.length + TIME_BYTES + (seq === undefined ? 0 : SEQ_BYTES));
  key.copy(out, 0);
  writeTime(out, key.length, windowStart);
  if (seq !== undefined) out.writeUInt32BE(seq >>> 0, key.length + TIME_BYTES);
  return out;
}

export interface DecodedWindowKey {
  key: Buffer;
  windowStart: number;
}

export function decodeWindowKey(bytes: Buffer, withSeq: boolean, offset = 0): DecodedWindowKey {
  const keyEnd = bytes.length - TIME_BYTES - (withSeq ? SEQ_BYTES : 0);
  if (keyEnd < offset) throw new StateStoreError('STORE_SERDE', `window key of ${bytes.length} bytes is too short`);
  return { key: bytes.subarray(offset, keyEnd), windowStart: readTime(bytes, keyEnd) };
}

/** Prepends the segment prefix to a changelog key. */
export function storedKey(segmentId: number, changelogKey: Buffer): Buffer {
  return Buffer.concat([segmentPrefix(segmentId), changelogKey]);
}
