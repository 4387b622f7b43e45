import { readTime, TIME_BYTES, writeTime } from './window-key-codec.ts';

/*
 * Keys and values of a versioned key-value store, all in one ordered byte store (and
 * so in one changelog):
 *
 *   latest version:    [ 0x00 ][ key bytes ]                 → [ valid from : 8 ][ value ]
 *   older versions:    [ 0x01 ][ key bytes ][ valid from : 8 ] → [ value ]
 *   observed time:     [ 0x02 ]                               → [ time : 8 ]
 *
 *   value = [ 0x00 ] (a tombstone: the key was deleted at valid from)
 *         | [ 0x01 ][ value bytes ]
 *
 * Times are unsigned big-endian epoch ms, so the older versions of a key are ordered by
 * their start of validity; a version is valid until the next one's start. Older-version
 * keys carry no key length: a scan for key K can meet longer keys starting with K's
 * bytes, which decoding (key length = total − 9) tells apart.
 */
export const LATEST = 0x00;
export const HISTORY = 0x01;
export const OBSERVED_KEY = Buffer.from([0x02]);

export function latestKey(key: Buffer): Buffer {
  return Buffer.concat([Buffer.from([LATEST]), key]);
}

export function historyKey(key: Buffer, validFrom: number): Buffer {
  const out = Buffer.allocUnsafe(1 + key.length + TIME_BYTES);
  out[0] = HISTORY;
  key.copy(out, 1);
  writeTime(out, 1 + key.length, validFrom);
  return out;
}

/** validFrom of an older-version key if it belongs to `key` (exact length), else undefined. */
export function historyTime(stored: Buffer, key: Buffer): number | undefined {
  if (stored.length !== 1 + key.length + TIME_BYTES) return undefined;
  return readTime(stored, 1 + key.length);
}

export function encodeValue(value: Buffer | null): Buffer {
  return value === null ? Buffer.from([0]) : Buffer.concat([Buffer.from([1]), value]);
}

export function decodeValue(bytes: Buffer): Buffer | null {
  return bytes[0] === 0 ? null : bytes.subarray(1);
}

export function encodeLatest(validFrom: number, value: Buffer | null): Buffer {
  const head = Buffer.allocUnsafe(TIME_BYTES);
  writeTime(head, 0, validFrom);
  return Buffer.concat([head, encodeValue(value)]);
}

export function decodeLatest(bytes: Buffer): { validFrom: number; value: Buffer | null } {
  return { validFrom: readTime(bytes, 0), value: decodeValue(bytes.subarray(TIME_BYTES)) };
}

export function encodeTime(time: number): Buffer {
  const b = Buffer.allocUnsafe(TIME_BYTES);
  writeTime(b, 0, time);
  return b;
}

export function decodeTime(bytes: Buffer): number {
  return readTime(bytes, 0);
}
