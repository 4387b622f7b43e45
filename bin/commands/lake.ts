import { loadConfig } from '../../deploy/config.ts';
import { RestCatalogClient } from '../../connectors/iceberg/client/rest-catalog-client.ts';
import { S3FileIO } from '../../connectors/iceberg/io/file-io.ts';
import { cleanOrphans, ORPHAN_MIN_AGE_MS } from '../../connectors/iceberg/maintenance/clean-orphans.ts';
import { compact, COMPACT_DEFAULTS } from '../../connectors/iceberg/maintenance/compact.ts';
import { expireSnapshots, EXPIRE_DEFAULTS } from '../../connectors/iceberg/maintenance/expire-snapshots.ts';

const USAGE = `usage: streamhouse lake <compact|expire|clean> <namespace.table>... [options]
  compact  --target-mb N (${COMPACT_DEFAULTS.targetFileBytes / 1024 / 1024}) --min-files N (${COMPACT_DEFAULTS.minInputFiles})
  expire   --max-age-hours N (${EXPIRE_DEFAULTS.maxAgeMs / 3_600_000}) --retain-last N (${EXPIRE_DEFAULTS.retainLast})
  clean    --min-age-hours N (${ORPHAN_MIN_AGE_MS / 3_600_000})
  --every-minutes N   repeat until Ctrl-C (continuous maintenance)`;

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} needs a non-negative number, got "${args[i + 1]}"`);
  return v;
}

/** `streamhouse lake compact|expire|clean TABLE...`: table maintenance, on demand or every N minutes. */
export async function run(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const tables = rest.filter((a, i) => !a.startsWith('--') && !rest[i - 1]?.startsWith('--'));
  if (!action || !['compact', 'expire', 'clean'].includes(action) || tables.length === 0 || tables.some((t) => !t.includes('.'))) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const client = new RestCatalogClient(config.catalog.url);
  const io = new S3FileIO(config.s3);
  const every = option(rest, '--every-minutes', 0) * 60_000;
  let stop = false;
  process.once('SIGINT', () => (stop = true));
  process.once('SIGTERM', () => (stop = true));
  try {
    do {
      for (const name of tables) {
        const parts = name.split('.');
        const ctx = { client, io, namespace: parts.slice(0, -1), table: parts.at(-1)!, nowMs: () => Date.now() };
        const result =
          action === 'compact'
            ? await compact(ctx, { targetFileBytes: option(rest, '--target-mb', COMPACT_DEFAULTS.targetFileBytes / 1048576) * 1048576, minInputFiles: option(rest, '--min-files', COMPACT_DEFAULTS.minInputFiles) })
            : action === 'expire'
              ? await expireSnapshots(ctx, { maxAgeMs: option(rest, '--max-age-hours', EXPIRE_DEFAULTS.maxAgeMs / 3_600_000) * 3_600_000, retainLast: option(rest, '--retain-last', EXPIRE_DEFAULTS.retainLast) })
              : await cleanOrphans(ctx, option(rest, '--min-age-hours', ORPHAN_MIN_AGE_MS / 3_600_000) * 3_600_000);
        console.log(`[lake] ${action} ${name}: ${JSON.stringify('deleted' in result ? { deleted: result.deleted.length, keptYoung: result.keptYoung } : result)}`);
      }
      for (let waited = 0; every > 0 && !stop && waited < every; waited += 1000) await new Promise((r) => setTimeout(r, 1000));
    } while (every > 0 && !stop);
  } finally {
    io.close();
  }
  return 0;
}
