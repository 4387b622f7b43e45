import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CanonicalImporter } from '../../../../../connectors/sources/ingest/importers/canonical-importer.ts';
import { Rees46Importer } from '../../../../../connectors/sources/ingest/importers/rees46-importer.ts';
import { readCsv } from '../../../../../connectors/sources/ingest/readers/csv-reader.ts';
import type { ClickstreamEvent, CustomerProfile, SalesOrder } from '../../../../../schemas/generated/index.ts';
import { Topics } from '../../../../../topologies/topics.ts';
import { REES46_SAMPLE } from '../../../../support/shared-data.ts';

const REES46 = REES46_SAMPLE;

describe('Rees46Importer', () => {
  it('accepts every row of the public sample, in UTC, with content ids shared by identical rows', async () => {
    const imp = new Rees46Importer(Topics.bronze.clickstream);
    imp.begin();
    const events: ClickstreamEvent[] = [];
    const lines: string[] = [];
    for await (const row of readCsv(Readable.from([readFileSync(REES46)]))) {
      const b = imp.push(row);
      expect(b.rejects).toEqual([]);
      events.push(...b.outputs.map((o) => o.value as ClickstreamEvent));
      lines.push(row.raw);
    }
    expect(events.length).toBe(1000);
    expect(events[0]).toMatchObject({ event_time: Date.UTC(2019, 9, 1), event_type: 'view', product_id: '44600062', category_id: '2103807459595387724', category_code: null, brand: 'shiseido', price: '35.7900', user_id: 541312140 });
    const distinctLines = new Set(lines).size;
    expect(new Set(events.map((e) => e.event_id)).size).toBe(distinctLines);
  });

  it('rejects unknown event types, bad users and missing sessions with the field named', () => {
    const imp = new Rees46Importer(Topics.bronze.clickstream);
    const base = { event_time: '2019-10-01 00:00:00 UTC', event_type: 'view', product_id: '1', category_id: '2', category_code: '', brand: '', price: '1.00', user_id: '5', user_session: 's' };
    const reason = (f: Record<string, string>) => imp.push({ line: 9, fields: { ...base, ...f }, raw: '' }).rejects[0]?.reason;
    expect(reason({ event_type: 'click' })).toBe('event_type: "click" is not one of view, cart, remove_from_cart, purchase');
    expect(reason({ user_id: 'x' })).toBe('user_id: "x" is not an integer');
    expect(reason({ user_session: '' })).toBe('user_session: is empty');
    expect(reason({ event_time: 'soon' })).toBe('event_time: "soon" is not a timestamp');
    expect(reason({ price: '1.23456' })).toBe('price: decimal 1.23456 has more than 4 fractional digits');
  });
});

describe('CanonicalImporter (catalog, profiles, campaigns, backfill)', () => {
  it('coerces CSV text to the schema and keeps original event times', () => {
    const imp = new CanonicalImporter(Topics.bronze.customers);
    const b = imp.push({ line: 2, raw: '', fields: { customer_id: '17850', email: 'a@b.c', full_name: '', country: 'GB', city: 'Leeds', loyalty_tier: 'gold', marketing_opt_in: 'yes', birth_year: '1980', signup_time: '2010-01-01T00:00:00Z', updated_at: '2011-05-01 10:00:00' } });
    expect(b.rejects).toEqual([]);
    const v = b.outputs[0]!.value as CustomerProfile;
    expect(b.outputs[0]!.key).toBe('17850');
    expect(v).toEqual({ customer_id: 17850, email: 'a@b.c', full_name: null, country: 'GB', city: 'Leeds', loyalty_tier: 'gold', marketing_opt_in: true, birth_year: 1980, signup_time: Date.UTC(2010, 0, 1), updated_at: Date.UTC(2011, 4, 1, 10), deleted: false, source: 'file:customer-profile' });
  });

  it('gives rows without event_id a content id: same row, same id', () => {
    const imp = new CanonicalImporter(Topics.bronze.sales, 'backfill:sales-order');
    const fields = { order_id: 'o1', event_time: '1700000000000', status: 'PLACED', currency: 'EUR', lines: JSON.stringify([{ line_number: 1, product_id: 'p', quantity: 2, unit_price: '9.99' }]) };
    const a = imp.push({ line: 2, raw: '', fields }).outputs[0]!.value as SalesOrder;
    const b = imp.push({ line: 7, raw: '', fields: { ...fields } }).outputs[0]!.value as SalesOrder;
    expect(a.event_id).toMatch(/^sales-order-[0-9a-f]{24}$/);
    expect(b.event_id).toBe(a.event_id);
    expect(a.lines[0]).toEqual({ line_number: 1, product_id: 'p', description: null, category_code: null, quantity: 2, unit_price: '9.9900', seller_id: null });
    expect(a.event_time).toBe(1_700_000_000_000);
  });

  it('rejects with the offending field named', () => {
    const imp = new CanonicalImporter(Topics.bronze.campaigns);
    const ok = { campaign_id: 'c', channel: 'email', day: '2026-01-02', spend: '10.5', updated_at: '2026-01-03T00:00:00Z' };
    expect(imp.push({ line: 2, raw: '', fields: ok }).outputs[0]!.value).toMatchObject({ day: 20455, spend: '10.5000', currency: 'USD' });
    const reasons = [
      { ...ok, day: '2026-1-2' }, { ...ok, spend: 'lots' }, { ...ok, channel: undefined }, { ...ok, clicks: '1e3' },
    ].map((f) => imp.push({ line: 3, raw: '', fields: f as Record<string, unknown> }).rejects[0]?.reason);
    expect(reasons).toEqual([
      'day: "2026-1-2" is not a date (YYYY-MM-DD)',
      'spend: "lots" is not a decimal number',
      'channel: is required',
      'clicks: "1e3" is not an integer',
    ]);
  });
});
