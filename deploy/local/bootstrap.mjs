#!/usr/bin/env node
// Entry point of `npm start`, `npm test` and `npm run services:*` on a fresh clone.
// It needs nothing but Node itself: it installs the node modules when they are missing
// or stale (the lockfile's hash is kept in node_modules), then hands over to the
// TypeScript set-up in deploy/local/main.ts.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`streamhouse needs Node.js 20.19 or newer; this is ${process.version}. Install a newer Node and retry.`);
  process.exit(1);
}

const lock = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.streamhouse-lock.sha256');
const want = createHash('sha256').update(readFileSync(lock)).digest('hex');
const have = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
if (want !== have && installedMatchesLock()) {
  // `npm install <pkg>` changed the lockfile and node_modules together: nothing to do.
  writeFileSync(stamp, want + '\n');
} else if (want !== have) {
  console.log('[setup] installing node modules (npm ci)...');
  const t0 = performance.now();
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('[setup] npm ci failed: check the network access to the npm registry and the messages above, then retry.');
    process.exit(1);
  }
  writeFileSync(stamp, want + '\n');
  console.log(`[setup] node modules installed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/**
 * Whether node_modules already holds exactly what package-lock.json asks for, judged by
 * npm's own record of the installed tree (node_modules/.package-lock.json): same version
 * and integrity for every package, nothing extra, and only optional packages (other
 * platforms' binaries) missing. `npm ci` would otherwise delete and reinstall everything.
 */
function installedMatchesLock() {
  const hidden = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(hidden)) return false;
  try {
    const wanted = JSON.parse(readFileSync(lock, 'utf8')).packages ?? {};
    const installed = JSON.parse(readFileSync(hidden, 'utf8')).packages ?? {};
    for (const [path, pkg] of Object.entries(wanted)) {
      if (path === '') continue;
      const got = installed[path];
      if (!got) {
        if (pkg.optional) continue;
        return false;
      }
      if (got.version !== pkg.version || got.integrity !== pkg.integrity) return false;
    }
    return Object.keys(installed).every((path) => path in wanted);
  } catch {
    return false;
  }
}

// The TypeScript set-up runs in this very process (tsx's loader registered in-process), not
// in a tsx child: with a parent that forwards signals, one Ctrl-C reaches the child twice
// (the terminal's process group, then the parent), and tsx's signal relay kills a child
// that does not acknowledge the second one within 30 ms, which happens on a busy machine.
process.chdir(root);
const { register } = await import('tsx/esm/api');
register();
await import('./main.ts');
