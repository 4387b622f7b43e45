import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Checkpoint key of a changelog partition: `<topic>-<partition>`, as in Kafka Streams' checkpoint files. */
export function checkpointKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/**
 * The changelog offsets a task's persistent stores are known to contain, in
 * `<task state dir>/.checkpoint`. Layout (UTF-8 JSON, one object):
 *
 *   { "version": 1, "offsets": { "<changelog topic>-<partition>": "<offset>", ... } }
 *
 * An offset is the next changelog offset to restore from (last applied record + 1), as
 * a decimal string (offsets are 64-bit). Keys are opaque to this class: `checkpointKey`
 * gives the conventional one.
 *
 * Lifecycle (as Kafka Streams): read when a task opens, so restoration replays only the
 * tail. At-least-once: written after each commit's flush. Exactly-once: deleted as soon
 * as the task starts processing (its LevelDB may then hold writes of a transaction that
 * could still abort) and written only after a clean close; a task that opens without one
 * wipes its stores and restores in full.
 *
 * `write` is atomic: the JSON goes to `.checkpoint.tmp`, is fsynced, renamed over the old
 * file, and the folder is fsynced, so a crash leaves the old or the new file, never a
 * torn one. `read` treats an unreadable or malformed file like a missing one (undefined),
 * which leads to a full restore: always safe, only slower.
 */
export class CheckpointFile {
  constructor(readonly taskDir: string) {}

  get path(): string {
    return join(this.taskDir, '.checkpoint');
  }

  async read(): Promise<Map<string, bigint> | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return undefined;
    }
    return parseCheckpoint(text);
  }

  async write(offsets: ReadonlyMap<string, bigint>): Promise<void> {
    await mkdir(this.taskDir, { recursive: true });
    const body = { version: 1, offsets: Object.fromEntries([...offsets].map(([k, o]) => [k, o.toString()])) };
    const tmp = `${this.path}.tmp`;
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(JSON.stringify(body));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, this.path);
    await syncDir(this.taskDir);
  }

  async delete(): Promise<void> {
    await rm(this.path, { force: true });
    await syncDir(this.taskDir).catch(() => undefined);
  }

  /** Removes the whole task folder: every store and the checkpoint. */
  async wipe(): Promise<void> {
    await rm(this.taskDir, { recursive: true, force: true });
  }
}

function parseCheckpoint(text: string): Map<string, bigint> | undefined {
  try {
    const parsed = JSON.parse(text) as { version?: unknown; offsets?: unknown };
    if (parsed.version !== 1 || typeof parsed.offsets !== 'object' || parsed.offsets === null) return undefined;
    const offsets = new Map<string, bigint>();
    for (const [key, value] of Object.entries(parsed.offsets)) {
      if (typeof value !== 'string' || !/^\d+$/.test(value)) return undefined;
      offsets.set(key, BigInt(value));
    }
    return offsets;
  } catch {
    return undefined;
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
