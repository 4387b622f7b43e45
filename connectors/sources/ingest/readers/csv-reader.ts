import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parseCsvRecord } from './csv-record.ts';
import type { SourceRow } from './source-row.ts';

/** A quoted field may span at most this many lines before its first line is rejected. */
const MAX_RECORD_LINES = 50;

/**
 * Rows of a CSV file with a header line. Every record becomes exactly one row, a good one
 * or an error, so that read = accepted + rejected holds line by line: a record with the
 * wrong number of fields, a stray character after a closing quote, or a quote left open
 * for MAX_RECORD_LINES lines (or to the end of the file) rejects only its first line,
 * and reading resumes on the next line.
 */
export async function* readCsv(input: Readable, delimiter = ','): AsyncGenerator<SourceRow> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let header: string[] | undefined;
  let block: { line: number; text: string }[] = [];
  let lineNo = 0;

  function* settle(final: boolean): Generator<SourceRow> {
    while (block.length > 0) {
      const first = block[0]!;
      const text = block.length === 1 ? first.text : block.map((b) => b.text).join('\n');
      const parsed = parseCsvRecord(text, delimiter);
      if ('incomplete' in parsed && !final && block.length < MAX_RECORD_LINES) return;
      if ('fields' in parsed) {
        block = [];
        if (!header) {
          header = parsed.fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f));
          continue;
        }
        if (parsed.fields.length !== header.length) {
          yield { line: first.line, error: `expected ${header.length} fields, got ${parsed.fields.length}`, raw: text };
          continue;
        }
        const fields: Record<string, unknown> = {};
        for (let i = 0; i < header.length; i++) fields[header[i]!] = parsed.fields[i];
        yield { line: first.line, fields, raw: text };
        continue;
      }
      const reason = 'error' in parsed ? parsed.error : `quote opened on line ${first.line} is not closed`;
      if (!header) throw new Error(`CSV header (line ${first.line}) is unreadable: ${reason}`);
      yield { line: first.line, error: reason, raw: first.text };
      block = block.slice(1);
    }
  }

  for await (const text of lines) {
    lineNo++;
    if (block.length === 0 && text.length === 0) continue;
    block.push({ line: lineNo, text });
    yield* settle(false);
  }
  yield* settle(true);
  if (!header) throw new Error('CSV file is empty: no header line');
}
