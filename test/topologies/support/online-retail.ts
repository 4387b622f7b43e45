import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UCI_ONLINE_RETAIL } from '../../support/shared-data.ts';

/**
 * Reads the UCI Online Retail CSV in place (../shared/data, never copied into the repo) and
 * applies the usual cleaning: drop rows without a customer, drop cancelled invoices
 * (prefix C), keep quantity > 0 and unit price > 0. Text fields stay text (prices keep
 * their decimal digits); InvoiceDate is read as a naive timestamp (UTC epoch ms of the
 * same wall-clock time, as pandas does without a time zone).
 */
export const ONLINE_RETAIL = UCI_ONLINE_RETAIL;

export interface RetailRow {
  readonly invoice: string;
  readonly quantity: number;
  readonly unitPrice: string;
  readonly invoiceTime: number;
  readonly customerId: string;
}

/** Splits one CSV line: fields separated by commas, optionally quoted, "" inside quotes. */
function fields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        value += line.slice(i, close);
        if (line[close + 1] === '"') {
          value += '"';
          i = close + 2;
        } else {
          i = close + 2;
          break;
        }
      }
      out.push(value);
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? line.length : comma;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

export function readCleanOnlineRetail(): { rows: RetailRow[]; total: number } {
  const lines = gunzipSync(readFileSync(ONLINE_RETAIL)).toString('utf8').split('\n');
  const rows: RetailRow[] = [];
  let total = 0;
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (line === '') continue;
    total++;
    const [invoice, , , quantity, date, price, customer] = fields(line);
    if (customer === '' || invoice!.startsWith('C')) continue;
    const q = Number(quantity);
    if (!(q > 0) || !(Number(price) > 0)) continue;
    rows.push({ invoice: invoice!, quantity: q, unitPrice: price!, invoiceTime: Date.parse(`${date!.replace(' ', 'T')}Z`), customerId: customer! });
  }
  return { rows, total };
}
