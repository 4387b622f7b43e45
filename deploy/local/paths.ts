import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where the local services keep their state. `.cache/` in the project (git-ignored) holds
 * what belongs to this checkout: data, logs and PID files. Downloads and builds that any
 * checkout can reuse (broker jars, the object-store binary) go to the user's cache folder,
 * so a fresh clone on the same machine starts in seconds.
 */
export const PROJECT_CACHE = process.env.STREAMHOUSE_CACHE_DIR ?? join(ROOT, '.cache');
export const SHARED_CACHE =
  process.env.STREAMHOUSE_SHARED_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'streamhouse');

export const LOG_DIR = join(PROJECT_CACHE, 'logs');
export const RUN_DIR = join(PROJECT_CACHE, 'run');
export const DATA_DIR = join(PROJECT_CACHE, 'data');
