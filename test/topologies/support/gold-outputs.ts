import { GOLD_CONTRACT, goldMapping, type GoldTopicKey } from '../../../topologies/gold-contract.ts';
import { decimalToBytes } from '../../../topologies/logic/contract/decimal-bytes.ts';
import { expect } from 'vitest';
import type { GoldOracle } from '../../../topologies/oracle/gold-oracle.ts';
import type { OracleFeatureRow } from '../../../topologies/oracle/oracle-features.ts';

/**
 * The gold topics read back as "latest value per key" maps, and both sides (topics and
 * the batch oracle) brought to the same plain rows, sorted, so a test compares them with
 * one toEqual: counts exactly, money as exact decimal strings.
 */
export interface GoldTables {
  readonly sales: Map<string, Record<string, unknown> | null>;
  readonly channels: Map<string, Record<string, unknown> | null>;
  readonly attribution: Map<string, Record<string, unknown> | null>;
  readonly rfm: Map<string, Record<string, unknown> | null>;
}

const sortRows = <T>(rows: T[]): T[] => rows.map((r) => JSON.stringify(r)).sort().map((t) => JSON.parse(t) as T);
const present = (m: Map<string, Record<string, unknown> | null>) => [...m.values()].filter((v): v is Record<string, unknown> => v !== null);

export function pick<T extends object>(row: T, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (row as Record<string, unknown>)[k]]));
}

const SALES = ['window', 'windowStart', 'category', 'channel', 'country', 'revenue', 'orders', 'units', 'aov'];
const CHANNELS = ['day', 'channel', 'sessions', 'conversions', 'conversionRate', 'revenue', 'spend', 'roas', 'cac'];
const ATTRIBUTION = ['model', 'channel', 'campaign', 'revenue'];
const RFM = ['customerId', 'recencyDays', 'frequency', 'monetary', 'r', 'f', 'm', 'segment'];

export function goldRows(t: GoldTables) {
  return {
    sales: sortRows(present(t.sales).map((r) => pick(r, SALES))),
    channels: sortRows(present(t.channels).map((r) => pick(r, CHANNELS))),
    attribution: sortRows(present(t.attribution).map((r) => pick(r, ATTRIBUTION))),
    rfm: sortRows(present(t.rfm).map((r) => pick(r, RFM))),
  };
}

export function oracleRows(o: GoldOracle) {
  return {
    sales: sortRows(o.sales.map((r) => pick(r, SALES))),
    channels: sortRows(o.channels.map((r) => pick(r, CHANNELS))),
    attribution: sortRows(o.attribution.map((r) => pick(r, ATTRIBUTION))),
    rfm: sortRows(o.rfm.map((r) => pick(r, RFM))),
  };
}

/** The gold lake tables and the topics they sink. */
export const GOLD_LAKE_TABLES: Readonly<Record<string, GoldTopicKey>> = {
  'gold.sales_performance': 'salesPerformance',
  'gold.channel_performance': 'channelPerformance',
  'gold.attribution': 'attribution',
  'gold.rfm': 'rfm',
};

type Field = { name: string; type: unknown };
const logical = (t: unknown): { logicalType?: string; precision?: number; scale?: number } => {
  const branch = Array.isArray(t) ? t.find((b) => b !== 'null') : t;
  return typeof branch === 'object' && branch !== null ? (branch as { logicalType?: string }) : {};
};

/**
 * Rows of the gold lake tables, as PyIceberg reads them (the Avro field names, decimals as
 * text, timestamptz as ISO-8601), back to the rows of their topics through the topic's
 * contract: each column is brought to its Avro form (epoch ms, decimal bytes at the
 * schema's scale, which refuses a decimal of another scale) and mapped with the contract.
 */
export function lakeGoldRows(tables: Record<string, Record<string, unknown>[]>, currency: string): Record<string, Record<string, unknown>[]> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const [table, rows] of Object.entries(tables)) {
    const key = GOLD_LAKE_TABLES[table];
    if (key === undefined) continue;
    const mapping = goldMapping(key, currency);
    const fields = (GOLD_CONTRACT[key].schema as unknown as { fields: Field[] }).fields;
    out[table] = rows.map((row) => {
      const record: Record<string, unknown> = {};
      for (const f of fields) {
        const v = row[f.name];
        const t = logical(f.type);
        if (v === null || v === undefined) record[f.name] = v ?? null;
        else if (t.logicalType === 'timestamp-millis') record[f.name] = Date.parse(v as string);
        else if (t.logicalType === 'decimal') record[f.name] = decimalToBytes(v as string, t.precision!, t.scale!);
        else record[f.name] = v;
      }
      return mapping.fromRecord(record) as unknown as Record<string, unknown>;
    });
  }
  return out;
}

/** A feature record (topic or HTTP) as the oracle's row: every product's score, the affinity. */
export function featureRows(features: Map<string, Record<string, unknown> | null>): OracleFeatureRow[] {
  return present(features)
    .map((r) => ({
      customerId: r.customerId as string,
      asOf: r.asOf as number,
      scores: Object.fromEntries((r.topProducts as { productId: string; score: number }[]).map((p) => [p.productId, p.score])),
      affinity: r.categoryAffinity as Record<string, number>,
    }))
    .sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
}

/**
 * The features equal the oracle's: the same keys, read times and products, and every score
 * and affinity share equal up to float rounding (relative 1e-9). The topic carries the top
 * 10 products, so the comparison needs customers with at most 10 (the seeded input has 9).
 */
export function expectFeaturesClose(actual: OracleFeatureRow[], expected: OracleFeatureRow[]): void {
  const shape = (rows: OracleFeatureRow[]) => rows.map((r) => ({ customerId: r.customerId, asOf: r.asOf, products: Object.keys(r.scores).sort(), categories: Object.keys(r.affinity).sort() }));
  expect(expected.every((r) => Object.keys(r.scores).length <= 10)).toBe(true);
  expect(shape(actual)).toEqual(shape(expected));
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  const off: string[] = [];
  for (const [i, e] of expected.entries()) {
    const a = actual[i]!;
    for (const [p, v] of Object.entries(e.scores)) if (!close(a.scores[p]!, v)) off.push(`${e.customerId} ${p}: ${a.scores[p]} vs ${v}`);
    for (const [c, v] of Object.entries(e.affinity)) if (!close(a.affinity[c]!, v)) off.push(`${e.customerId} ${c}: ${a.affinity[c]} vs ${v}`);
  }
  expect(off).toEqual([]);
}
