import { Transform, pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { IngestError } from '../ingest-error.ts';
import type { SourceFile } from '../source-files.ts';
import { readCsv } from './csv-reader.ts';
import { readJsonLines } from './jsonl-reader.ts';
import { readParquet } from './parquet-reader.ts';
import type { ReadProgress, SourceFormat, SourceRow } from './source-row.ts';

/** The format of a file from its name: .csv, .jsonl/.ndjson, .parquet, each optionally .gz (not Parquet). */
export function formatOf(uri: string): SourceFormat {
  const name = uri.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson') || name.endsWith('.json')) return 'jsonl';
  if (name.endsWith('.parquet')) return 'parquet';
  throw new IngestError('BAD_FORMAT', `cannot tell the format of "${uri}" (expected .csv, .jsonl, .ndjson or .parquet; or pass --format)`);
}

/** Rows of a file in the given format, decompressing .gz, counting stored bytes into `progress`. */
export async function* readRows(file: SourceFile, format: SourceFormat, progress: ReadProgress): AsyncGenerator<SourceRow> {
  if (format === 'parquet') {
    yield* readParquet(file, progress);
    return;
  }
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      progress.bytes += chunk.length;
      done(null, chunk);
    },
  });
  // pipeline() destroys every stage on an error (a reset S3 connection, a corrupt gzip
  // stream), so the error reaches the reader instead of leaving it waiting.
  const stages: (Readable | Transform)[] = [await file.open(), counter];
  if (file.uri.toLowerCase().endsWith('.gz')) stages.push(createGunzip());
  const stream = pipeline(stages, () => undefined) as unknown as Readable;
  yield* format === 'csv' ? readCsv(stream) : readJsonLines(stream);
}
