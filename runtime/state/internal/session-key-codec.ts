import { StateStoreError } from '../state-store-error.ts';
import { readTime, TIME_BYTES, writeTime } from './window-key-codec.ts';

/*
 * Session store keys.
 *
 * Changelog key (what `restore` receives), and the suffix of every stored key:
 *
 *   [ record key bytes : n ][ session end : 8, unsigned big-endian ms ][ session start : 8, same ]
 *
 * The record key's length is the total length minus 16. Stored keys add the time segment
 * of the session END in front (see window-key-codec.ts for the segment prefix):
 *
 *   [ segment id of end : 8 ][ changelog key ]
 *
 * Sessions of one key never overlap (they are merged), so within a segment they sort by
 * end and also by start: "sessions of K ending at or after t" is one range scan per
 * segment from [seg][K][t][0], stopping at the first session that starts too late.
 * Expiry works on the end time, so a long session lives as long as its last activity.
 */

export function sessionKey(key: Buffer, start: number, end: number): Buffer {
  if (end < start) throw new StateStoreError('STORE_SERDE', `session end ${end} is before its start ${start}`);
  const out = Buffer.allocUnsafe(key.length + 2 * TIME_BYTES);
  key.copy(out, 0);
  writeTime(out, key.length, end);
  writeTime(out, key.length + TIME_BYTES, start);
  return out;
}

export interface DecodedSessionKey {
  key: Buffer;
  start: number;
  end: number;
}

export function decodeSessionKey(bytes: Buffer): DecodedSessionKey {
  const keyEnd = bytes.length - 2 * TIME_BYTES;
  if (keyEnd < 0) throw new StateStoreError('STORE_SERDE', `session key of ${bytes.length} bytes is too short`);
  return { key: bytes.subarray(0, keyEnd), end: readTime(bytes, keyEnd), start: readTime(bytes, keyEnd + TIME_BYTES) };
}

/** The largest changelog key of `key` (every session of it sorts at or before this). */
export function sessionKeyUpperBound(key: Buffer): Buffer {
  return Buffer.concat([key, Buffer.alloc(2 * TIME_BYTES, 0xff)]);
}
