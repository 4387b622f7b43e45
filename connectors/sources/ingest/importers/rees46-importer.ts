import type avro from 'avsc';
import type { ClickstreamEvent } from '../../../../schemas/generated/index.ts';
import type { TopicSpec } from '../../../../topologies/topics.ts';
import { avroType, schemaViolation } from '../../serde/avro-types.ts';
import type { SourceRow } from '../readers/source-row.ts';
import { CoercionError, coerce, timestamp } from './coerce.ts';
import { contentId } from './content-id.ts';
import { EMPTY_BATCH, type ImportBatch, type Importer } from './importer.ts';

const TYPES = new Set(['view', 'cart', 'remove_from_cart', 'purchase']);
const COLUMNS = ['event_time', 'event_type', 'product_id', 'category_id', 'category_code', 'brand', 'price', 'user_id', 'user_session'];

/**
 * The REES46 "eCommerce behavior data from multi category store" CSV
 * (event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session)
 * to clickstream events. Prices are USD. The event id is a hash of the row's nine fields,
 * so the data set's identical duplicate rows share an id and downstream dedup drops them.
 * Rows with an unknown event type, an unreadable time, price or user, or no session are
 * rejected with the field named.
 */
export class Rees46Importer implements Importer {
  readonly name = 'rees46';
  private readonly price = (avroType('clickstream-event') as avro.types.RecordType).field('price')!.type;

  constructor(readonly target: TopicSpec) {}

  begin(): void {}

  push(row: SourceRow): ImportBatch {
    if ('error' in row) return { outputs: [], rejects: [{ line: row.line, code: 'PARSE_ERROR', reason: row.error, raw: row.raw }] };
    const f = row.fields as Record<string, string | undefined>;
    const reject = (reason: string, code: 'MAPPING_ERROR' | 'SCHEMA_VIOLATION' = 'MAPPING_ERROR'): ImportBatch => ({ outputs: [], rejects: [{ line: row.line, code, reason, raw: row.raw }] });
    const missing = COLUMNS.find((c) => f[c] === undefined);
    if (missing) return reject(`${missing}: column is missing`);
    if (!TYPES.has(f.event_type!)) return reject(`event_type: ${JSON.stringify(f.event_type)} is not one of view, cart, remove_from_cart, purchase`);
    if (!f.user_session) return reject('user_session: is empty');
    if (!/^\d+$/.test(f.user_id!)) return reject(`user_id: ${JSON.stringify(f.user_id)} is not an integer`);
    let value: ClickstreamEvent;
    try {
      value = {
        event_id: contentId('r46', COLUMNS.map((c) => f[c])),
        event_time: timestamp(f.event_time, 'event_time'),
        event_type: f.event_type as ClickstreamEvent['event_type'],
        product_id: f.product_id || null, category_id: f.category_id || null, category_code: f.category_code || null,
        brand: f.brand || null, price: coerce(this.price, f.price, 'price') as string | null, currency: 'USD',
        user_id: Number(f.user_id), user_session: f.user_session!, search_query: null, order_id: null,
        device_type: null, device_os: null, country: null, page_url: null, referrer: null, channel: null, campaign_id: null,
        utm_source: null, utm_medium: null, utm_campaign: null, utm_content: null, utm_term: null, source: this.name,
      };
    } catch (err) {
      if (err instanceof CoercionError) return reject(err.message);
      throw err;
    }
    const violation = schemaViolation('clickstream-event', value);
    if (violation) return reject(violation, 'SCHEMA_VIOLATION');
    return { outputs: [{ key: String(value.user_id), value, rows: 1, line: row.line }], rejects: [] };
  }

  finish(): ImportBatch {
    return EMPTY_BATCH;
  }

  pending(): number {
    return 0;
  }
}
