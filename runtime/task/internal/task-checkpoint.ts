import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The changelog offsets a task's persistent stores are known to contain, written at a
 * clean close as `<task dir>/.checkpoint` (JSON: store name → next changelog offset).
 * A task that opens without one wipes its folder and restores in full: under
 * exactly-once its stores may hold writes of an aborted transaction, so only a clean
 * close vouches for them. It is deleted as soon as the task processes again.
 */
export class TaskCheckpoint {
  constructor(private readonly taskDir: string) {}

  private get file(): string {
    return join(this.taskDir, '.checkpoint');
  }

  async read(): Promise<Map<string, bigint> | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = JSON.parse(text) as Record<string, string>;
      return new Map(Object.entries(parsed).map(([store, offset]) => [store, BigInt(offset)]));
    } catch {
      return undefined;
    }
  }

  async write(offsets: ReadonlyMap<string, bigint>): Promise<void> {
    await mkdir(this.taskDir, { recursive: true });
    const json = JSON.stringify(Object.fromEntries([...offsets].map(([s, o]) => [s, o.toString()])));
    await writeFile(`${this.file}.tmp`, json);
    const { rename } = await import('node:fs/promises');
    await rename(`${this.file}.tmp`, this.file);
  }

  async delete(): Promise<void> {
    await rm(this.file, { force: true });
  }

  /** Removes the whole task folder (stores and checkpoint). */
  async wipe(): Promise<void> {
    await rm(this.taskDir, { recursive: true, force: true });
  }
}
