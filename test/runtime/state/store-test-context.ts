import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StateStoreContext } from '../../../runtime/state/state-store.ts';

export interface LoggedChange {
  store: string;
  key: string;
  value: string | null;
  timestamp: number;
}

/** A StateStoreContext for store tests: records logged changes; event time is settable. */
export class RecordingContext implements StateStoreContext {
  readonly applicationId = 'app';
  readonly taskId = '0_0';
  readonly partition = 0;
  readonly changes: LoggedChange[] = [];
  /** The same changes as bytes, as a restore would read them back from the changelog. */
  readonly rawChanges: Array<{ key: Buffer; value: Buffer | null; timestamp: number }> = [];
  time = 0;

  constructor(readonly stateDir: string) {}

  logChange(store: string, key: Buffer, value: Buffer | null, timestamp: number): void {
    this.changes.push({ store, key: key.toString(), value: value === null ? null : value.toString(), timestamp });
    this.rawChanges.push({ key, value, timestamp });
  }

  currentTimestamp(): number {
    return this.time;
  }
}

export async function tempStateDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'streamhouse-state-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const b = (s: string): Buffer => Buffer.from(s);

export async function collect(entries: AsyncIterable<{ key: Buffer; value: Buffer }>): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  for await (const e of entries) out.push([e.key.toString(), e.value.toString()]);
  return out;
}
