import { isDecimalText } from '../money/decimal.ts';

/**
 * Data-quality rules. A rule looks at one record and passes or fails it. Four kinds:
 * - `schema`: required fields with the right type;
 * - `business`: price > 0, quantity > 0, known currency, sane timestamps, ...;
 * - `consistency`: referential integrity, e.g. the product exists in the catalog;
 * - completeness is not a rule but a null rate per field (see dq-report.ts).
 * Rules are plain data plus a predicate; the engine (dq-report.ts) counts them.
 */
export type DqRecord = Readonly<Record<string, unknown>>;
export type RuleKind = 'schema' | 'business' | 'consistency';

export interface DqContext {
  /** Processing time the timestamp rules compare with (passed in, never read from a clock). */
  readonly now: number;
}

export interface DqRule {
  readonly name: string;
  readonly kind: RuleKind;
  readonly check: (record: DqRecord, context: DqContext) => boolean;
}

export type FieldType = 'string' | 'integer' | 'number' | 'decimal' | 'boolean';

const isType: Record<FieldType, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string' && v.length > 0,
  integer: (v) => Number.isSafeInteger(v),
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  decimal: (v) => typeof v === 'string' && isDecimalText(v),
  boolean: (v) => typeof v === 'boolean',
};

/** Passes when every listed field is present (not null) and of its type. */
export const schemaRule = (name: string, fields: Readonly<Record<string, FieldType>>): DqRule => ({
  name,
  kind: 'schema',
  check: (r) => Object.entries(fields).every(([field, type]) => isType[type](r[field])),
});

/** Passes when the field is a number or decimal string greater than zero. */
export const positiveRule = (field: string): DqRule => ({
  name: `${field} > 0`,
  kind: 'business',
  check: (r) => {
    const v = r[field];
    if (typeof v === 'number') return Number.isFinite(v) && v > 0;
    return typeof v === 'string' && isDecimalText(v) && !v.trim().startsWith('-') && /[1-9]/.test(v);
  },
});

export const knownValueRule = (name: string, field: string, known: ReadonlySet<string>, kind: RuleKind = 'business'): DqRule => ({
  name,
  kind,
  check: (r) => typeof r[field] === 'string' && known.has(r[field]),
});

/** Passes when the timestamp (epoch ms) is after `notBefore` and at most `maxAheadMs` ahead of now. */
export const saneTimestampRule = (field: string, notBefore: number, maxAheadMs: number): DqRule => ({
  name: `${field} is sane`,
  kind: 'business',
  check: (r, { now }) => {
    const t = r[field];
    return typeof t === 'number' && Number.isSafeInteger(t) && t >= notBefore && t <= now + maxAheadMs;
  },
});

/** Referential integrity: the field's value exists in a reference set (e.g. the catalog). */
export const referenceRule = (name: string, field: string, exists: (key: string) => boolean): DqRule => ({
  name,
  kind: 'consistency',
  check: (r) => typeof r[field] === 'string' && exists(r[field]),
});
