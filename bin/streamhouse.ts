/**
 * The streamhouse command line. Each subcommand lives in bin/commands/<name>.ts and
 * exports `run(args): Promise<number>`; they are loaded on demand so that one
 * command's dependencies do not slow down another's start.
 */
import { ConfigError } from '../deploy/config.ts';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }> = {
  run: { summary: 'run the platform on the configured services until Ctrl-C', load: () => import('./commands/run.ts') },
  registry: { summary: 'run the Confluent-compatible schema registry (default 127.0.0.1:8081)', load: () => import('./commands/registry.ts') },
  produce: { summary: 'generate realistic clickstream and sales traffic into the bronze topics', load: () => import('./commands/produce.ts') },
  sink: { summary: 'run a sink connector: `sink lake --config FILE` writes topics into Iceberg tables', load: () => import('./commands/sink.ts') },
  lake: { summary: 'Iceberg table maintenance: `lake compact|expire|clean ns.table...`', load: () => import('./commands/lake.ts') },
  catalog: { summary: 'run the Iceberg REST catalog (default 127.0.0.1:8181, state in SQLite)', load: () => import('./commands/catalog.ts') },
  ingest: { summary: 'load batch files (CSV, JSON Lines, Parquet; local or S3) into the bronze topics', load: () => import('./commands/ingest.ts') },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    console.log('usage: streamhouse <command> [options]\n');
    for (const [n, c] of Object.entries(COMMANDS)) console.log(`  ${n.padEnd(12)} ${c.summary}`);
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  return (await command.load()).run(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? `streamhouse: ${err.message}` : err);
    process.exit(1);
  },
);
