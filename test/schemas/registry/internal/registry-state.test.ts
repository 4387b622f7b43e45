import { describe, expect, it } from 'vitest';
import type { SchemaValue } from '../../../../schemas/registry/internal/log-records.ts';
import { RegistryState } from '../../../../schemas/registry/internal/registry-state.ts';

const rec = (fields: string) => JSON.stringify({ type: 'record', name: 'R', fields: fields.split(',').map((f) => ({ name: f, type: 'int' })) });
const value = (subject: string, version: number, id: number, schema: string, deleted = false): SchemaValue => ({ subject, version, id, schema, deleted });
const put = (s: RegistryState, v: SchemaValue) => s.apply({ keytype: 'SCHEMA', subject: v.subject, version: v.version }, v);

describe('RegistryState.apply', () => {
  it('keeps one id per schema across subjects and tracks the highest id', () => {
    const s = new RegistryState();
    expect(put(s, value('a', 1, 1, rec('x')))).toBe(true);
    expect(put(s, value('b', 1, 1, rec('x')))).toBe(true);
    expect(put(s, value('a', 2, 2, rec('x,y')))).toBe(true);
    expect(s.holdersOf(1).map((v) => v.subject)).toEqual(['a', 'b']);
    expect(s.idOf({ schema: rec('x') })).toBe(1);
    expect(s.maxId).toBe(2);
  });

  it('treats whitespace and Java-style canonical forms of one schema as the same content', () => {
    const s = new RegistryState();
    put(s, value('a', 1, 4, '{"type":"record","name":"R","namespace":"n","fields":[{"name":"x","type":"int"}]}'));
    expect(s.idOf({ schema: '{ "name": "n.R", "type": "record", "fields": [ {"type": "int", "name": "x"} ] }' })).toBe(4);
  });

  it('rejects a record whose id another schema already holds (two writers allocated one id)', () => {
    const s = new RegistryState();
    put(s, value('a', 1, 1, rec('x')));
    expect(put(s, value('b', 1, 1, rec('y')))).toBe(false);
    expect(s.versionsOf('b')).toEqual([]);
  });

  it('rejects a second id for a schema that already has one', () => {
    const s = new RegistryState();
    put(s, value('a', 1, 1, rec('x')));
    expect(put(s, value('b', 1, 2, rec('x')))).toBe(false);
  });

  it('rejects a different schema in a taken subject/version slot (two writers raced for one version)', () => {
    const s = new RegistryState();
    put(s, value('a', 1, 1, rec('x')));
    expect(put(s, value('a', 1, 2, rec('x,y')))).toBe(false);
    expect(s.versionsOf('a').map((v) => v.id)).toEqual([1]);
    // re-publishing the accepted value is idempotent
    expect(put(s, value('a', 1, 1, rec('x')))).toBe(true);
  });

  it('soft-deletes versions up to the DELETE_SUBJECT watermark and keeps their ids resolvable', () => {
    const s = new RegistryState();
    put(s, value('a', 1, 1, rec('x')));
    put(s, value('a', 2, 2, rec('x,y')));
    s.apply({ keytype: 'DELETE_SUBJECT', subject: 'a' }, { subject: 'a', version: 1 });
    expect(s.versionsOf('a').map((v) => v.version)).toEqual([2]);
    expect(s.versionsOf('a', true).map((v) => v.version)).toEqual([1, 2]);
    expect(s.holdersOf(1)[0]).toMatchObject({ deleted: true });
  });

  it('frees an id when its last holder is tombstoned', () => {
    const s = new RegistryState();
    put(s, value('a', 1, 1, rec('x')));
    expect(s.apply({ keytype: 'SCHEMA', subject: 'a', version: 1 }, null)).toBe(true);
    expect(s.holdersOf(1)).toEqual([]);
    expect(s.idOf({ schema: rec('x') })).toBeUndefined();
    expect(s.subjects.has('a')).toBe(false);
    expect(s.maxId).toBe(1);
  });

  it('clear() forgets everything, so a re-read of the log rebuilds the same state', () => {
    const s = new RegistryState();
    const records: [Parameters<RegistryState['apply']>[0], Parameters<RegistryState['apply']>[1]][] = [
      [{ keytype: 'SCHEMA', subject: 'a', version: 1 }, value('a', 1, 1, rec('x'))],
      [{ keytype: 'CONFIG', subject: 'a' }, { compatibilityLevel: 'FULL' }],
      [{ keytype: 'SCHEMA', subject: 'b', version: 1 }, value('b', 1, 1, rec('y'))],
    ];
    const outcomes = records.map(([k, v]) => s.apply(k, v));
    const before = { a: s.versionsOf('a', true), maxId: s.maxId, configs: [...s.configs] };
    s.clear();
    expect(s.subjects.size + s.configs.size + s.maxId).toBe(0);
    expect(records.map(([k, v]) => s.apply(k, v))).toEqual(outcomes);
    expect({ a: s.versionsOf('a', true), maxId: s.maxId, configs: [...s.configs] }).toEqual(before);
  });

  it('sets and removes compatibility levels, global (null) and per subject', () => {
    const s = new RegistryState();
    s.apply({ keytype: 'CONFIG', subject: null }, { compatibilityLevel: 'full' });
    s.apply({ keytype: 'CONFIG', subject: 'a' }, { compatibilityLevel: 'NONE' });
    expect([s.configs.get(null), s.configs.get('a')]).toEqual(['FULL', 'NONE']);
    s.apply({ keytype: 'CONFIG', subject: 'a' }, null);
    expect(s.configs.has('a')).toBe(false);
  });
});
