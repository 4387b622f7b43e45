import { resolve } from 'node:path';
import { ConfigError } from '../../errors/runtime-errors.ts';

/**
 * The state folders (`<stateDir>/<applicationId>`) of the KafkaStreams instances running
 * in this process, as Kafka Streams' state directory lock: two instances of one
 * application must not share one. Their task folders would collide whenever a task moves
 * between them (the new owner opens the store while the old one may still hold its
 * LevelDB lock, and reads or deletes the other's checkpoint), and each start wipes the
 * global stores' folders. The second instance is refused at `start()`.
 */
const claimed = new Set<string>();

/** Claims `<stateDir>/<applicationId>` for one instance; returns the release (idempotent). */
export function claimStateDir(stateDir: string, applicationId: string): () => void {
  const folder = resolve(stateDir, applicationId);
  if (claimed.has(folder)) {
    throw new ConfigError(
      `invalid config 'stateDir': ${folder} is used by another running KafkaStreams instance of '${applicationId}' in this process; give each instance its own stateDir`,
    );
  }
  claimed.add(folder);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    claimed.delete(folder);
  };
}
