import { createRequire } from 'node:module';

/** The kafkajs whose internals coordinator-cache.ts, produce-request.ts and partition-grouping.ts patch or stand in for. */
export const PATCHED_KAFKAJS_VERSION = '2.2.4';

let version: string | null | undefined;

/** The installed kafkajs version; null when it cannot be read (then nothing is patched). */
export function installedKafkajsVersion(): string | null {
  if (version !== undefined) return version;
  try {
    version = (createRequire(import.meta.url)('kafkajs/package.json') as { version: string }).version;
  } catch {
    version = null;
  }
  return version;
}
