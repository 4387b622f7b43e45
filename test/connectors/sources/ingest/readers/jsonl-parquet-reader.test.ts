import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { readJsonLines } from '../../../../../connectors/sources/ingest/readers/jsonl-reader.ts';
import { formatOf, readRows } from '../../../../../connectors/sources/ingest/readers/read-rows.ts';
import type { SourceRow } from '../../../../../connectors/sources/ingest/readers/source-row.ts';
import { listFiles } from '../../../../../connectors/sources/ingest/source-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'sh-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(it: AsyncIterable<SourceRow>): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const r of it) out.push(r);
  return out;
}

describe('readJsonLines', () => {
  it('reads objects, skips blank lines and rejects what is not an object', async () => {
    const out = await collect(readJsonLines(Readable.from(['{"a":1}\n\n{"a":\n[1]\n{"a":2}'])));
    expect(out).toEqual([
      { line: 1, fields: { a: 1 }, raw: '{"a":1}' },
      { line: 3, error: expect.stringMatching(/^not JSON: /), raw: '{"a":' },
      { line: 4, error: 'not a JSON object', raw: '[1]' },
      { line: 5, fields: { a: 2 }, raw: '{"a":2}' },
    ]);
  });
});

describe('readRows', () => {
  it('tells formats from file names', () => {
    expect(formatOf('s3://b/x/orders.CSV.gz')).toBe('csv');
    expect(formatOf('/d/events.ndjson')).toBe('jsonl');
    expect(formatOf('/d/p.parquet')).toBe('parquet');
    expect(() => formatOf('/d/p.xlsx')).toThrow('cannot tell the format of "/d/p.xlsx"');
  });

  it('decompresses .gz and counts the stored bytes', async () => {
    const path = join(dir, 'a.csv.gz');
    writeFileSync(path, gzipSync('x,y\n1,2\n3,4\n'));
    const [file] = await listFiles({ kind: 'local', path });
    const progress = { bytes: 0 };
    const out = await collect(readRows(file!, 'csv', progress));
    expect(out.map((r) => ('fields' in r ? r.fields : r.error))).toEqual([{ x: '1', y: '2' }, { x: '3', y: '4' }]);
    expect(progress.bytes).toBe(file!.size);
  });

  it('surfaces a corrupt gzip stream as an error instead of hanging', async () => {
    const path = join(dir, 'bad.csv.gz');
    writeFileSync(path, 'not gzip at all');
    const [file] = await listFiles({ kind: 'local', path });
    await expect(collect(readRows(file!, 'csv', { bytes: 0 }))).rejects.toThrow('incorrect header check');
  });

  it('reads Parquet rows with 1-based row numbers, int64 and timestamps as numbers', async () => {
    const n = 25_000;
    const buf = parquetWriteBuffer({
      columnData: [
        { name: 'product_id', data: Array.from({ length: n }, (_, i) => `p${i}`), type: 'STRING' },
        { name: 'price', data: Array.from({ length: n }, (_, i) => (i % 100) + 0.5), type: 'DOUBLE' },
        { name: 'updated_at', data: Array.from({ length: n }, (_, i) => BigInt(1_700_000_000_000 + i)), type: 'INT64' },
      ],
    });
    const path = join(dir, 'products.parquet');
    writeFileSync(path, Buffer.from(buf));
    const [file] = await listFiles({ kind: 'local', path });
    const out = await collect(readRows(file!, 'parquet', { bytes: 0 }));
    expect(out.length).toBe(n);
    expect(out[0]).toMatchObject({ line: 1, fields: { product_id: 'p0', price: 0.5, updated_at: 1_700_000_000_000 } });
    expect(out[n - 1]).toMatchObject({ line: n, fields: { product_id: `p${n - 1}`, updated_at: 1_700_000_000_000 + n - 1 } });
  });
});
