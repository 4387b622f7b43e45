import { encodeKey, type LogKey, type LogValue } from '../../../../schemas/registry/internal/log-records.ts';
import type { SchemaLog } from '../../../../schemas/registry/internal/registry-service.ts';
import type { RegistryState } from '../../../../schemas/registry/internal/registry-state.ts';

/**
 * A log in memory. `rivals` are records "another instance" writes just before each of
 * our appends, so the races of two registries can be replayed deterministically.
 */
export class MemoryLog implements SchemaLog {
  readonly records: [LogKey, LogValue, boolean][] = [];
  rivals: (() => [LogKey, LogValue] | undefined)[] = [];
  constructor(readonly state: RegistryState) {}
  async sync(): Promise<void> {}
  async append(key: LogKey, value: LogValue): Promise<boolean> {
    const rival = this.rivals.shift()?.();
    if (rival) this.write(...rival);
    return this.write(key, value);
  }
  private write(key: LogKey, value: LogValue): boolean {
    const accepted = this.state.apply(key, value);
    this.records.push([key, value, accepted]);
    return accepted;
  }
  /** The log as compaction leaves it: the newest record of each key, in log order. */
  compacted(): [LogKey, LogValue][] {
    const last = new Map<string, number>();
    this.records.forEach(([k], i) => last.set(encodeKey(k), i));
    return this.records.filter(([k], i) => last.get(encodeKey(k)) === i).map(([k, v]) => [k, v]);
  }
}
