import { describe, expect, it } from 'vitest';
import { UciRetailImporter } from '../../../../../connectors/sources/ingest/importers/uci-retail-importer.ts';
import { ukLocalToUtc } from '../../../../../connectors/sources/ingest/importers/uk-local-time.ts';
import type { ImportBatch } from '../../../../../connectors/sources/ingest/importers/importer.ts';
import type { SalesOrder } from '../../../../../schemas/generated/index.ts';
import { schemaViolation } from '../../../../../connectors/sources/serde/avro-types.ts';
import { Topics } from '../../../../../topologies/topics.ts';

const row = (line: number, inv: string, stock: string, qty: string, date: string, price: string, cust: string) => ({
  line, raw: `${inv},${stock}`,
  fields: { InvoiceNo: inv, StockCode: stock, Description: 'THING', Quantity: qty, InvoiceDate: date, UnitPrice: price, CustomerID: cust, Country: 'United Kingdom' },
});

describe('ukLocalToUtc', () => {
  it('reads GMT in winter and BST in summer, switching on the last Sundays of March and October', () => {
    expect(ukLocalToUtc('2010-12-01 08:26:00')).toBe(Date.UTC(2010, 11, 1, 8, 26));
    expect(ukLocalToUtc('2011-06-15 12:00:00')).toBe(Date.UTC(2011, 5, 15, 11, 0));
    expect(ukLocalToUtc('2011-03-27 00:59:00')).toBe(Date.UTC(2011, 2, 27, 0, 59)); // GMT, before the change
    expect(ukLocalToUtc('2011-03-27 02:30:00')).toBe(Date.UTC(2011, 2, 27, 1, 30)); // BST
    expect(ukLocalToUtc('2011-10-30 00:30:00')).toBe(Date.UTC(2011, 9, 29, 23, 30)); // still BST
    expect(ukLocalToUtc('2011-10-30 02:30:00')).toBe(Date.UTC(2011, 9, 30, 2, 30)); // GMT again
    expect(ukLocalToUtc('2011-02-30 10:00:00')).toBeNull();
    expect(ukLocalToUtc('yesterday')).toBeNull();
  });
});

describe('UciRetailImporter', () => {
  const collect = (batches: ImportBatch[]) => ({ outputs: batches.flatMap((b) => b.outputs), rejects: batches.flatMap((b) => b.rejects) });

  it('makes one order per invoice from consecutive rows, holding rows until the invoice ends', () => {
    const imp = new UciRetailImporter(Topics.bronze.sales);
    imp.begin({ uri: 'f.csv', identity: 'sha256:abcdef0123456789' });
    const batches = [
      imp.push(row(2, '536365', '85123A', '6', '2010-12-01 08:26:00', '2.55', '17850')),
      imp.push(row(3, '536365', '71053', '6', '2010-12-01 08:26:00', '3.39', '17850')),
    ];
    expect(imp.pending()).toBe(2);
    batches.push(imp.push(row(4, 'C536379', 'D', '-1', '2010-12-01 09:41:00', '27.50', '')));
    expect(imp.pending()).toBe(1);
    batches.push(imp.finish());
    const { outputs, rejects } = collect(batches);
    expect(rejects).toEqual([]);
    expect(outputs.map((o) => [o.key, o.rows, o.line])).toEqual([['536365', 2, 2], ['C536379', 1, 4]]);
    const first = outputs[0]!.value as SalesOrder;
    expect(first).toMatchObject({
      event_id: 'uci-abcdef012345-536365-2', order_id: '536365', status: 'PLACED', customer_id: 17850, currency: 'GBP',
      event_time: Date.UTC(2010, 11, 1, 8, 26), country: 'United Kingdom', source: 'uci-online-retail',
    });
    expect(first.lines.map((l) => [l.line_number, l.product_id, l.quantity, l.unit_price])).toEqual([[2, '85123A', 6, '2.5500'], [3, '71053', 6, '3.3900']]);
    const cancel = outputs[1]!.value as SalesOrder;
    expect(cancel).toMatchObject({ status: 'CANCELLED', customer_id: null });
    for (const o of outputs) expect(schemaViolation('sales-order', o.value)).toBeNull();
  });

  it('rejects an unreadable row with the field named, and still emits the rest of its invoice', () => {
    const imp = new UciRetailImporter(Topics.bronze.sales);
    imp.begin({ uri: 'f.csv', identity: 'x' });
    const { outputs, rejects } = collect([
      imp.push(row(2, '1', 'A', '1', '2011-01-01 10:00:00', '1.00', '12346')),
      imp.push(row(3, '1', 'B', 'two', '2011-01-01 10:00:00', '1.00', '12346')),
      imp.push(row(4, '1', 'C', '1', '2011-01-01 10:00:00', '1.2.3', '12346')),
      imp.push({ line: 5, error: 'expected 8 fields, got 3', raw: 'a,b,c' }),
      imp.push(row(6, '2', 'D', '1', '2011-13-01 10:00:00', '1.00', '12346')),
      imp.finish(),
    ]);
    expect(outputs.map((o) => [o.key, o.rows])).toEqual([['1', 1]]);
    expect(rejects.map((r) => [r.line, r.code, r.reason])).toEqual([
      [3, 'MAPPING_ERROR', 'Quantity: "two" is not an integer'],
      [4, 'MAPPING_ERROR', 'UnitPrice: "1.2.3" is not a decimal number'],
      [5, 'PARSE_ERROR', 'expected 8 fields, got 3'],
      [6, 'MAPPING_ERROR', 'InvoiceDate: "2011-13-01 10:00:00" is not a YYYY-MM-DD HH:MM:SS time'],
    ]);
  });
});
