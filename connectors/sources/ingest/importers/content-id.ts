import { createHash } from 'node:crypto';

/**
 * A deterministic event id from content: the same input always gives the same id, so a
 * re-ingested row (or an identical duplicate row) carries the id of the first one and
 * downstream dedup removes it. 96 bits of SHA-1, hex, after a readable prefix.
 */
export function contentId(prefix: string, ...parts: readonly unknown[]): string {
  const h = createHash('sha1');
  for (const p of parts) h.update(typeof p === 'string' ? p : JSON.stringify(p) ?? 'undefined').update('\u0001');
  return `${prefix}-${h.digest('hex').slice(0, 24)}`;
}

/** The first 12 hex digits of a file identity ("sha256:abcd..." or "s3etag:abcd...:size"), for ids. */
export function shortIdentity(identity: string): string {
  const body = identity.includes(':') ? (identity.split(':')[1] ?? '') : identity;
  const hex = body.replace(/[^0-9a-f]/gi, '').toLowerCase();
  return hex.slice(0, 12) || 'nohash';
}
