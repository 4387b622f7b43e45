import { join } from 'node:path';
import { ROOT } from '../paths.ts';
import { launch, type LocalService } from './service.ts';

/**
 * streamhouse's own Confluent-compatible schema registry (`streamhouse registry`), on
 * registry.url (127.0.0.1:8081). It keeps its state in Kafka's `_schemas` topic, so it
 * starts after kafka and has nothing to install.
 */
export const registry: LocalService = {
  name: 'registry',
  startTimeoutMs: 60_000,
  address: (c) => {
    const u = new URL(c.registry.url);
    return { host: u.hostname, port: Number(u.port || 80) };
  },

  async install() {},

  async start() {
    // node itself runs tsx's CLI: through the node_modules/.bin/tsx script, /usr/bin/env
    // would exec node a second time and change the command line recorded for the PID.
    const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    return launch('registry', process.execPath, [tsx, join(ROOT, 'bin', 'streamhouse.ts'), 'registry'], {}, ROOT);
  },

  async ready(c) {
    try {
      const res = await fetch(`${c.registry.url}/subjects`, { signal: AbortSignal.timeout(1000) });
      return res.status === 200;
    } catch {
      return false;
    }
  },
};
