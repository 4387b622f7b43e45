import { join } from 'node:path';
import { ROOT } from '../paths.ts';
import { launch, type LocalService } from './service.ts';

/**
 * streamhouse's embedded Iceberg REST catalog (`streamhouse catalog`), on catalog.url
 * (127.0.0.1:8181). Its state is a SQLite file under .cache/data/catalog; table
 * metadata goes to the object store, so it starts after the object store.
 */
export const catalog: LocalService = {
  name: 'catalog',
  startTimeoutMs: 60_000,
  address: (c) => {
    const u = new URL(c.catalog.url);
    return { host: u.hostname, port: Number(u.port || 80) };
  },

  async install() {},

  async start() {
    // As for the registry: node runs tsx's CLI directly, so the recorded command line is stable.
    const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    return launch('catalog', process.execPath, [tsx, join(ROOT, 'bin', 'streamhouse.ts'), 'catalog'], {}, ROOT);
  },

  async ready(c) {
    try {
      const res = await fetch(`${c.catalog.url}/v1/config`, { signal: AbortSignal.timeout(1000) });
      return res.status === 200;
    } catch {
      return false;
    }
  },
};
