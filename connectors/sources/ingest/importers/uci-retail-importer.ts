import type { OrderLine, SalesOrder } from '../../../../schemas/generated/index.ts';
import { normalizeDecimal } from '../../../../schemas/logical-types.ts';
import type { TopicSpec } from '../../../../topologies/topics.ts';
import type { SourceRow } from '../readers/source-row.ts';
import { shortIdentity } from './content-id.ts';
import { EMPTY_BATCH, type FileContext, type ImportBatch, type ImportReject, type Importer } from './importer.ts';
import { ukLocalToUtc } from './uk-local-time.ts';

/** The retailer is the only seller of the UCI data set. */
export const UCI_SELLER = 'uci-online-retail';

interface OpenOrder {
  invoice: string;
  firstLine: number;
  rows: number;
  order: SalesOrder;
  rejects: ImportReject[];
}

/**
 * UCI Online Retail (InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice,
 * CustomerID, Country) to sales orders. Consecutive rows of one invoice make one order;
 * each row is an order line whose `line_number` is its source line. InvoiceDate is UK
 * local time. An invoice starting with C is a cancellation, with A an adjustment; prices
 * are GBP and kept as they are, dirt included (negative and zero quantities or prices are
 * bronze data for the quality rules downstream). A row whose fields cannot be read is
 * rejected on its own; its invoice's other rows still make the order. Rows are held until
 * their invoice ends, so a checkpoint never splits an order.
 *
 * The event id is `uci-<file hash>-<invoice>-<first line>`: the same file always gives the
 * same ids. (One invoice in the public file is not contiguous and so makes two orders with
 * the same order_id and distinct event ids, whose lines together are the invoice.)
 */
export class UciRetailImporter implements Importer {
  readonly name = 'uci-online-retail';
  private open: OpenOrder | null = null;
  private fileTag = 'nohash';

  constructor(readonly target: TopicSpec) {}

  begin(file: FileContext): void {
    this.open = null;
    this.fileTag = shortIdentity(file.identity);
  }

  push(row: SourceRow): ImportBatch {
    if ('error' in row) return this.hold(null, { line: row.line, code: 'PARSE_ERROR', reason: row.error, raw: row.raw });
    const f = row.fields as Record<string, string>;
    const invoice = (f.InvoiceNo ?? '').trim();
    const bad = (reason: string): ImportBatch => this.hold(invoice || null, { line: row.line, code: 'MAPPING_ERROR', reason, raw: row.raw });
    if (!invoice) return bad('InvoiceNo: is empty');
    const stock = (f.StockCode ?? '').trim();
    if (!stock) return bad('StockCode: is empty');
    if (!/^-?\d+$/.test(f.Quantity ?? '')) return bad(`Quantity: ${JSON.stringify(f.Quantity)} is not an integer`);
    const quantity = Number(f.Quantity);
    if (!Number.isSafeInteger(quantity) || Math.abs(quantity) >= 2 ** 31) return bad(`Quantity: ${f.Quantity} is out of range`);
    const time = ukLocalToUtc(f.InvoiceDate ?? '');
    if (time === null) return bad(`InvoiceDate: ${JSON.stringify(f.InvoiceDate)} is not a YYYY-MM-DD HH:MM:SS time`);
    let price: string;
    try {
      price = normalizeDecimal(f.UnitPrice ?? '', 4);
    } catch (err) {
      return bad(`UnitPrice: ${(err as Error).message}`);
    }
    const customerText = (f.CustomerID ?? '').trim();
    if (customerText && !/^\d+(\.0+)?$/.test(customerText)) return bad(`CustomerID: ${JSON.stringify(customerText)} is not an integer`);
    const line: OrderLine = {
      line_number: row.line, product_id: stock, description: f.Description?.trim() || null, category_code: null,
      quantity, unit_price: price, seller_id: UCI_SELLER,
    };
    const out = this.open && this.open.invoice !== invoice ? this.close() : EMPTY_BATCH;
    if (!this.open) {
      const status = invoice.startsWith('C') ? 'CANCELLED' : invoice.startsWith('A') ? 'ADJUSTMENT' : 'PLACED';
      this.open = {
        invoice, firstLine: row.line, rows: 0, rejects: [],
        order: {
          event_id: `uci-${this.fileTag}-${invoice}-${row.line}`, order_id: invoice, event_time: time, status,
          cancels_order_id: null, customer_id: customerText ? Number(customerText) : null, user_id: null, user_session: null,
          country: f.Country?.trim() || null, currency: 'GBP', channel: null, campaign_id: null, lines: [], source: this.name,
        },
      };
    }
    this.open.order.lines.push(line);
    this.open.rows++;
    return out;
  }

  finish(): ImportBatch {
    return this.close();
  }

  pending(): number {
    return this.open ? this.open.rows + this.open.rejects.length : 0;
  }

  /** A rejected row joins the open invoice's hold (or closes it, if it names another invoice). */
  private hold(invoice: string | null, reject: ImportReject): ImportBatch {
    const out = this.open && invoice !== null && invoice !== this.open.invoice ? this.close() : EMPTY_BATCH;
    if (!this.open) return { outputs: out.outputs, rejects: [...out.rejects, reject] };
    this.open.rejects.push(reject);
    return out;
  }

  private close(): ImportBatch {
    const open = this.open;
    this.open = null;
    if (!open) return EMPTY_BATCH;
    const outputs = open.rows > 0 ? [{ key: open.order.order_id, value: open.order, rows: open.rows, line: open.firstLine }] : [];
    return { outputs, rejects: open.rejects };
  }
}
