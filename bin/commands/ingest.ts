import { delimiter, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../deploy/config.ts';
import { ROOT } from '../../deploy/local/paths.ts';
import { systemClock } from '../../runtime/time/clock.ts';
import { DATASETS } from '../../connectors/sources/ingest/datasets.ts';
import { IngestError } from '../../connectors/sources/ingest/ingest-error.ts';
import { runIngestJob } from '../../connectors/sources/ingest/ingest-job.ts';
import { ProgressBar } from '../../connectors/sources/ingest/progress-bar.ts';
import type { SourceFormat } from '../../connectors/sources/ingest/readers/source-row.ts';
import { parseNumber } from '../../connectors/sources/util/parse-duration.ts';

const USAGE = `usage: streamhouse ingest <dataset> <path|s3://bucket/prefix>... [options]
datasets:
${Object.entries(DATASETS).map(([n, d]) => `  ${n.padEnd(12)} ${d.summary} -> ${d.topic.name}`).join('\n')}
options:
  --format csv|jsonl|parquet   override the format told by the file name (.csv/.jsonl/.parquet, optionally .gz)
  --root DIR                   allowed local root (repeatable; default: STREAMHOUSE_INGEST_ROOTS, else . and ../shared/data)
  --s3-root s3://bucket/pfx    allowed S3 root (repeatable; default: the configured bucket)
  --state-dir DIR              checkpoints (default .cache/ingest)
  --force                      ingest again from the first row, even if done (ids stay the same)
  --checkpoint-every N         rows between checkpoints (default 50000)
  --speed N                    replay at N x the original event-time pace (backfills); default: as fast as possible
  --value-format json|avro     record format (default json)   --topic-prefix P   prefix topic names
A malformed row goes to bronze.rejects with its file, line and reason; Ctrl-C stops after a checkpoint.`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      format: { type: 'string' }, root: { type: 'string', multiple: true }, 's3-root': { type: 'string', multiple: true },
      'state-dir': { type: 'string' }, force: { type: 'boolean' }, 'checkpoint-every': { type: 'string' }, speed: { type: 'string' },
      'value-format': { type: 'string', default: 'json' }, 'topic-prefix': { type: 'string', default: '' }, help: { type: 'boolean' },
    },
  });
  const [dataset, ...locations] = positionals;
  if (values.help || !dataset || locations.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (values.format && !['csv', 'jsonl', 'parquet'].includes(values.format)) throw new IngestError('BAD_OPTION', `--format: "${values.format}" is not csv, jsonl or parquet`);
  const config = loadConfig();
  const envRoots = process.env.STREAMHOUSE_INGEST_ROOTS?.split(delimiter).filter(Boolean);
  const roots = {
    local: values.root ?? envRoots ?? [process.cwd(), resolve(ROOT, '..', 'shared', 'data')],
    s3: values['s3-root'] ?? [`s3://${config.s3.bucket}/`],
  };
  const abort = new AbortController();
  const stop = (): void => {
    if (!abort.signal.aborted) console.error('\nstopping after the current row; a restart resumes from the checkpoint...');
    abort.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const bar = new ProgressBar();
  try {
    const result = await runIngestJob({
      dataset, locations, config, roots, clock: systemClock, signal: abort.signal,
      stateDir: values['state-dir'] ?? join(ROOT, '.cache', 'ingest'), force: values.force,
      format: values.format as SourceFormat | undefined, valueFormat: values['value-format'], topicPrefix: values['topic-prefix'],
      checkpointEveryRows: values['checkpoint-every'] ? parseNumber(values['checkpoint-every'], '--checkpoint-every', 1) : undefined,
      speed: values.speed ? parseNumber(values.speed, '--speed', 1e-9) : undefined,
      onProgress: (s, final) => (final ? bar.end(s) : bar.update(s)),
    });
    for (const f of result.files) {
      console.log(`${f.status.padEnd(16)} ${f.uri}: read ${f.read} = accepted ${f.accepted} + rejected ${f.rejected}` +
        `${f.resumedFromRow ? ` (resumed after row ${f.resumedFromRow})` : ''}; all runs: ${f.totalAccepted} accepted, ${f.totalRejected} rejected -> ${result.target.name}, rejects -> ${result.rejects.name}`);
    }
    return result.files.some((f) => f.status === 'interrupted') ? 130 : 0;
  } catch (err) {
    if (err instanceof IngestError) {
      console.error(`streamhouse ingest: ${err.message}`);
      return 2;
    }
    throw err;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
