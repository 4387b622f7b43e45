import { beforeEach, describe, expect, it, vi } from 'vitest';
import { RegistryError } from '../../../../schemas/registry/errors.ts';
import { encodeKey, type LogKey, type SchemaValue } from '../../../../schemas/registry/internal/log-records.ts';
import { RegistryService } from '../../../../schemas/registry/internal/registry-service.ts';
import { RegistryState } from '../../../../schemas/registry/internal/registry-state.ts';
import { MemoryLog } from './memory-log.ts';

const schema = (name: string) => JSON.stringify({ type: 'record', name, fields: [{ name: 'n', type: 'int' }] });

function setup() {
  const state = new RegistryState();
  const log = new MemoryLog(state);
  state.apply({ keytype: 'CONFIG', subject: null }, { compatibilityLevel: 'NONE' });
  return { state, log, service: new RegistryService(state, log) };
}

const rivalValue = (subject: string, version: number, id: number, name: string): [LogKey, SchemaValue] => [
  { keytype: 'SCHEMA', subject, version },
  { subject, version, id, schema: schema(name), deleted: false },
];

describe('RegistryService.register against a rival writer', () => {
  beforeEach(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => {}); // the retry notices
    return () => vi.restoreAllMocks();
  });

  it('retries with the next id when the rival took the id it allocated', async () => {
    const { log, service } = setup();
    log.rivals = [() => rivalValue('other', 1, 1, 'Rival')];
    expect(await service.register('mine', { schema: schema('Mine') })).toEqual({ id: 2, version: 1 });
    expect(log.records.map(([, v, ok]) => [(v as SchemaValue).subject, (v as SchemaValue).id, ok])).toEqual([
      ['other', 1, true],
      ['mine', 1, false],
      ['mine', 2, true],
    ]);
  });

  it('takes the next version when the rival took its slot, re-publishing the winner so compaction keeps it', async () => {
    const { state, log, service } = setup();
    log.rivals = [() => rivalValue('s', 1, 1, 'Rival')];
    expect(await service.register('s', { schema: schema('Mine') })).toEqual({ id: 2, version: 2 });
    expect(state.versionsOf('s').map((v) => [v.version, v.id])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    const replayed = new RegistryState();
    for (const [k, v] of log.compacted()) replayed.apply(k, v);
    expect(replayed.versionsOf('s')).toEqual(state.versionsOf('s'));
  });

  it('gives up with 50001 after losing every attempt', async () => {
    const { log, service } = setup();
    let n = 0;
    log.rivals = Array.from({ length: 20 }, () => () => (n++, rivalValue(`r${n}`, 1, n, `R${n}`)));
    const err = await service.register('mine', { schema: schema('Mine') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err).toMatchObject({ status: 500, errorCode: 50001 });
  });
});

describe('RegistryService writes', () => {
  it('runs one write at a time, so concurrent registrations on one instance never race each other', async () => {
    const { state, log, service } = setup();
    const ids = await Promise.all(['A', 'B', 'C', 'D'].map((n) => service.register('s', { schema: schema(n) })));
    expect(ids.map((r) => r.version)).toEqual([1, 2, 3, 4]);
    expect(log.records.every(([, , ok]) => ok)).toBe(true);
    expect(state.maxId).toBe(4);
  });

  it('a soft subject delete writes DELETE_SUBJECT with the last live version and drops the subject level', async () => {
    const { log, service } = setup();
    await service.register('s', { schema: schema('A') });
    await service.register('s', { schema: schema('B') });
    await service.setConfig('s', 'full');
    expect(await service.deleteSubject('s', false)).toEqual([1, 2]);
    expect(log.records.slice(-2).map(([k, v]) => [encodeKey(k), v])).toEqual([
      ['{"keytype":"DELETE_SUBJECT","subject":"s","magic":0}', { subject: 's', version: 2 }],
      ['{"keytype":"CONFIG","subject":"s","magic":0}', null],
    ]);
  });
});
