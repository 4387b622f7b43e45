import type { GoldOracle } from '../../../topologies/oracle/gold-oracle.ts';

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
