import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { SourceRow } from './source-row.ts';

/** Rows of a JSON Lines file: one JSON object per non-blank line; anything else is an error row. */
export async function* readJsonLines(input: Readable): AsyncGenerator<SourceRow> {
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      yield { line, error: `not JSON: ${(err as Error).message}`, raw: text };
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield { line, error: 'not a JSON object', raw: text };
      continue;
    }
    yield { line, fields: value as Record<string, unknown>, raw: text };
  }
}
