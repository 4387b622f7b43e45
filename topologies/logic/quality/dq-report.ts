import { decimal, divide, formatDecimal } from '../money/decimal.ts';
import type { DqContext, DqRecord, DqRule } from './dq-rule.ts';

/**
 * The DQ engine as an aggregate: counts per rule and nulls per field over a batch or a
 * window, then a report with a score and alerts.
 * - score = passed rule checks / all rule checks (every record is checked by every rule);
 * - completeness per field = 1 − null rate (null, undefined or '' count as null);
 * - an alert fires when the score or any field's completeness is below the threshold
 *   (99.9 % by default), or a rule's pass rate is below its own threshold if it has one.
 * Rates are exact fractions; the report shows them with 6 decimals (half-even), and the
 * threshold comparisons are exact (cross-multiplied), so 999 of 1000 passes 0.999.
 */
export interface DqCounts {
  readonly records: number;
  readonly failures: Readonly<Record<string, number>>;
  readonly nulls: Readonly<Record<string, number>>;
}

export interface DqThresholds {
  readonly score: string;
  readonly completeness: string;
  readonly rules?: Readonly<Record<string, string>>;
}

export const DEFAULT_THRESHOLDS: DqThresholds = { score: '0.999', completeness: '0.999' };

export interface DqAlert {
  readonly metric: string;
  readonly value: string;
  readonly threshold: string;
}

export interface DqReport {
  readonly records: number;
  readonly score: string;
  readonly ruleRates: Readonly<Record<string, string>>;
  readonly completeness: Readonly<Record<string, string>>;
  readonly alerts: readonly DqAlert[];
}

export const emptyDqCounts = (rules: readonly DqRule[], fields: readonly string[]): DqCounts => ({
  records: 0,
  failures: Object.fromEntries(rules.map((r) => [r.name, 0])),
  nulls: Object.fromEntries(fields.map((f) => [f, 0])),
});

export function addDqRecord(counts: DqCounts, record: DqRecord, rules: readonly DqRule[], context: DqContext): DqCounts {
  const failures = { ...counts.failures };
  for (const rule of rules) if (!rule.check(record, context)) failures[rule.name] = (failures[rule.name] ?? 0) + 1;
  const nulls = { ...counts.nulls };
  for (const field of Object.keys(nulls)) {
    const v = record[field];
    if (v === null || v === undefined || v === '') nulls[field] = nulls[field]! + 1;
  }
  return { records: counts.records + 1, failures, nulls };
}

/** The counts of two disjoint sets of records together (partial counts of a window summed). */
export function mergeDqCounts(a: DqCounts, b: DqCounts): DqCounts {
  const sum = (x: Readonly<Record<string, number>>, y: Readonly<Record<string, number>>): Record<string, number> => {
    const out: Record<string, number> = { ...x };
    for (const [k, n] of Object.entries(y)) out[k] = (out[k] ?? 0) + n;
    return out;
  };
  return { records: a.records + b.records, failures: sum(a.failures, b.failures), nulls: sum(a.nulls, b.nulls) };
}

const rate = (passed: number, total: number): string => (total === 0 ? '1.000000' : formatDecimal(divide(decimal(String(passed)), decimal(String(total)), 6)));

/** passed / total < threshold, exactly. */
function below(passed: number, total: number, threshold: string): boolean {
  const t = decimal(threshold);
  return total > 0 && BigInt(passed) * 10n ** BigInt(t.scale) < t.units * BigInt(total);
}

export function dqReport(counts: DqCounts, thresholds: DqThresholds = DEFAULT_THRESHOLDS): DqReport {
  const alerts: DqAlert[] = [];
  const ruleNames = Object.keys(counts.failures);
  const checks = counts.records * ruleNames.length;
  const failed = Object.values(counts.failures).reduce((a, b) => a + b, 0);
  const score = rate(checks - failed, checks);
  if (below(checks - failed, checks, thresholds.score)) alerts.push({ metric: 'score', value: score, threshold: thresholds.score });
  const ruleRates: Record<string, string> = {};
  for (const name of ruleNames) {
    const passed = counts.records - counts.failures[name]!;
    ruleRates[name] = rate(passed, counts.records);
    const own = thresholds.rules?.[name];
    if (own !== undefined && below(passed, counts.records, own)) alerts.push({ metric: `rule:${name}`, value: ruleRates[name], threshold: own });
  }
  const completeness: Record<string, string> = {};
  for (const [field, nulls] of Object.entries(counts.nulls)) {
    completeness[field] = rate(counts.records - nulls, counts.records);
    if (below(counts.records - nulls, counts.records, thresholds.completeness)) alerts.push({ metric: `completeness:${field}`, value: completeness[field], threshold: thresholds.completeness });
  }
  return { records: counts.records, score, ruleRates, completeness, alerts };
}
