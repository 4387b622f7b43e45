import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../../../../connectors/sources/ingest/readers/csv-reader.ts';
import { parseCsvRecord } from '../../../../../connectors/sources/ingest/readers/csv-record.ts';
import type { SourceRow } from '../../../../../connectors/sources/ingest/readers/source-row.ts';

async function rows(text: string): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const r of readCsv(Readable.from([text]))) out.push(r);
  return out;
}

describe('parseCsvRecord', () => {
  it('reads quoted fields, doubled quotes, empty and trailing fields', () => {
    expect(parseCsvRecord('"a","b ""c""",,d,')).toEqual({ fields: ['a', 'b "c"', '', 'd', ''] });
    expect(parseCsvRecord('1,"x,y",3')).toEqual({ fields: ['1', 'x,y', '3'] });
    expect(parseCsvRecord('"open')).toEqual({ incomplete: true });
    expect(parseCsvRecord('"a"b,c')).toEqual({ error: 'unexpected "b" after a closing quote at column 4' });
  });
});

describe('readCsv', () => {
  it('gives one row per record with its first line, keyed by the header', async () => {
    const out = await rows('a,b\r\n1,2\r\n"x\ny",3\n\n4,5\n');
    expect(out).toEqual([
      { line: 2, fields: { a: '1', b: '2' }, raw: '1,2' },
      { line: 3, fields: { a: 'x\ny', b: '3' }, raw: '"x\ny",3' },
      { line: 6, fields: { a: '4', b: '5' }, raw: '4,5' },
    ]);
  });

  it('rejects a bad record alone and keeps reading the next lines', async () => {
    const text = 'a,b,c\n1,2,3\n4,5\n9,"bad"q,10\n11,12,13\n14,15,16,17\n"unclosed,1,2\n18,19,20\n';
    const out = await rows(text);
    expect(out.map((r) => [r.line, 'error' in r ? r.error : (r.fields as Record<string, string>).a])).toEqual([
      [2, '1'],
      [3, 'expected 3 fields, got 2'],
      [4, 'unexpected "q" after a closing quote at column 8'],
      [5, '11'],
      [6, 'expected 3 fields, got 4'],
      [7, 'quote opened on line 7 is not closed'],
      [8, '18'],
    ]);
    // every data line is accounted for exactly once
    expect(out.length).toBe(text.trim().split('\n').length - 1);
  });

  it('refuses an empty file', async () => {
    await expect(rows('')).rejects.toThrow('CSV file is empty: no header line');
  });
});
