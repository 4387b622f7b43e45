import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How far the ingest of one file into one topic has come. Counts are cumulative. */
export interface Checkpoint {
  readonly uri: string;
  readonly identity: string;
  readonly importer: string;
  readonly topic: string;
  /** Rows fully released (sent and acknowledged, or rejected): a restart skips them. */
  readonly rowsDone: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly complete: boolean;
  readonly updatedAt: number;
}

/**
 * Checkpoints as small JSON files in a folder, one per (content identity, importer,
 * topic): a file that changes gets a new identity and starts over; the same content under
 * another name or path resumes. Written to a temporary file and renamed, so a crash
 * leaves either the old or the new checkpoint.
 */
export class CheckpointStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  get(identity: string, importer: string, topic: string): Checkpoint | undefined {
    try {
      return JSON.parse(readFileSync(this.path(identity, importer, topic), 'utf8')) as Checkpoint;
    } catch {
      return undefined;
    }
  }

  put(checkpoint: Checkpoint): void {
    const path = this.path(checkpoint.identity, checkpoint.importer, checkpoint.topic);
    writeFileSync(`${path}.tmp`, JSON.stringify(checkpoint, null, 2));
    renameSync(`${path}.tmp`, path);
  }

  private path(identity: string, importer: string, topic: string): string {
    const key = createHash('sha256').update(`${identity}\u0001${importer}\u0001${topic}`).digest('hex').slice(0, 32);
    return join(this.dir, `${key}.json`);
  }
}
