/**
 * Byte keys as map keys. A Buffer cannot key a JS Map by content, so the in-memory layers
 * key their maps by the latin1 string of the bytes: one char per byte (0..255), so the
 * conversion is lossless and JS string order (UTF-16 code units) equals unsigned
 * lexicographic byte order, which is LevelDB's default comparator. Comparing these
 * strings with `<` therefore orders keys exactly as the persistent store does.
 */
export function toKeyString(key: Buffer): string {
  return key.toString('latin1');
}

export function fromKeyString(key: string): Buffer {
  return Buffer.from(key, 'latin1');
}

export function compareKeyStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Inclusive bounds as key strings; `undefined` means open on that side. */
export interface KeyStringRange {
  from?: string;
  to?: string;
}

export function toRange(from?: Buffer, to?: Buffer): KeyStringRange {
  return {
    ...(from === undefined ? {} : { from: toKeyString(from) }),
    ...(to === undefined ? {} : { to: toKeyString(to) }),
  };
}

export function inRange(key: string, range: KeyStringRange): boolean {
  return (range.from === undefined || key >= range.from) && (range.to === undefined || key <= range.to);
}

/** True when the range can hold no key (from after to). */
export function isEmptyRange(range: KeyStringRange): boolean {
  return range.from !== undefined && range.to !== undefined && range.from > range.to;
}
