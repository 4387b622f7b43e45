import { createHash } from 'node:crypto';

/**
 * The change-detection hash of an SCD2 dimension: SHA-256 (hex) of the tracked attributes
 * as canonical JSON (keys sorted, only the tracked keys, a missing key as null), so the same
 * values always give the same hash whatever the key order of the input.
 */
export type AttributeValue = string | number | boolean | null;
export type Attributes = Readonly<Record<string, AttributeValue>>;

export function trackedAttributes(attributes: Attributes, tracked: readonly string[]): Attributes {
  const out: Record<string, AttributeValue> = {};
  for (const key of [...tracked].sort()) out[key] = Object.hasOwn(attributes, key) ? attributes[key]! : null;
  return out;
}

export function attributeHash(attributes: Attributes, tracked: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(trackedAttributes(attributes, tracked))).digest('hex');
}

/** A stable surrogate key for the version of `naturalKey` that starts at `effectiveFrom`. */
export function surrogateKey(naturalKey: string, effectiveFrom: number): string {
  return createHash('sha256').update(`${naturalKey}\u0000${effectiveFrom}`).digest('hex').slice(0, 16);
}
