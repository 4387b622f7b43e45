import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseAvro } from '../../../schemas/registry/avro-schema.ts';
import { compatibilityErrors, parseLevel, type CompatibilityLevel } from '../../../schemas/registry/compatibility.ts';
import { RegistryError } from '../../../schemas/registry/errors.ts';

type Field = { name: string; type: unknown; default?: unknown; aliases?: string[] };
const user = (...fields: Field[]) => parseAvro(JSON.stringify({ type: 'record', name: 'User', namespace: 'shop', fields })).type;
const history = (...types: ReturnType<typeof user>[]) => types.map((type, i) => ({ version: i + 1, type }));
const check = (level: CompatibilityLevel, candidate: ReturnType<typeof user>, ...previous: ReturnType<typeof user>[]) =>
  compatibilityErrors(candidate, history(...previous), level);

const id: Field = { name: 'id', type: 'long' };
const name: Field = { name: 'name', type: 'string' };
const v1 = user(id, name);

describe('compatibility levels against the latest version', () => {
  const addOptional = user(id, name, { name: 'email', type: ['null', 'string'], default: null });
  const addRequired = user(id, name, { name: 'age', type: 'int' });
  const dropName = user(id);

  it('adding a field with a default passes BACKWARD, FORWARD and FULL', () => {
    for (const level of ['BACKWARD', 'FORWARD', 'FULL'] as const) expect(check(level, addOptional, v1)).toEqual([]);
  });

  it('adding a field without a default fails BACKWARD and FULL, naming the field, and passes FORWARD', () => {
    expect(check('BACKWARD', addRequired, v1)).toEqual([
      "BACKWARD incompatible with version 1: field 'age' in the new schema has no default value and is missing in the old schema",
    ]);
    expect(check('FULL', addRequired, v1)).toHaveLength(1);
    expect(check('FORWARD', addRequired, v1)).toEqual([]);
  });

  it('removing a field without a default passes BACKWARD and fails FORWARD, naming the field', () => {
    expect(check('BACKWARD', dropName, v1)).toEqual([]);
    expect(check('FORWARD', dropName, v1)).toEqual([
      "FORWARD incompatible with version 1: field 'name' in the old schema has no default value and is missing in the new schema",
    ]);
    expect(check('FULL', dropName, v1)[0]).toMatch(/^FORWARD incompatible with version 1: field 'name'/);
  });

  it('promoting int to long is BACKWARD but not FORWARD compatible', () => {
    const small = user({ name: 'n', type: 'int' });
    const big = user({ name: 'n', type: 'long' });
    expect(check('BACKWARD', big, small)).toEqual([]);
    expect(check('FORWARD', big, small)[0]).toMatch(/field 'n': the old schema's type cannot read the new schema's type/);
  });

  it('names a nested field by its path', () => {
    const addr = (zip: string) => ({ name: 'address', type: { type: 'record', name: 'Address', fields: [{ name: 'zip', type: zip }] } });
    expect(check('BACKWARD', user(id, addr('int')), user(id, addr('string')))[0]).toMatch(/field 'address\.zip'/);
  });

  it('NONE accepts anything', () => {
    expect(check('NONE', user({ name: 'other', type: 'boolean' }), v1)).toEqual([]);
  });

  it('a first version is always compatible', () => {
    expect(compatibilityErrors(v1, [], 'FULL_TRANSITIVE')).toEqual([]);
  });
});

describe('transitive levels check every earlier version', () => {
  it('BACKWARD passes against the latest only, BACKWARD_TRANSITIVE fails against version 1', () => {
    const a = user(id);
    const b = user(id, { name: 'x', type: 'int', default: 0 });
    const c = user(id, { name: 'x', type: 'int' });
    expect(check('BACKWARD', c, a, b)).toEqual([]);
    expect(check('BACKWARD_TRANSITIVE', c, a, b)).toEqual([
      "BACKWARD incompatible with version 1: field 'x' in the new schema has no default value and is missing in the old schema",
    ]);
  });

  it('FORWARD and FULL pass against the latest, their transitive forms fail against version 1', () => {
    const a = user(id, { name: 'y', type: 'int' });
    const b = user(id, { name: 'y', type: 'int', default: 0 });
    const c = user(id);
    for (const level of ['FORWARD', 'FULL'] as const) expect(check(level, c, a, b)).toEqual([]);
    const expected = "FORWARD incompatible with version 1: field 'y' in the old schema has no default value and is missing in the new schema";
    expect(check('FORWARD_TRANSITIVE', c, a, b)).toEqual([expected]);
    expect(check('FULL_TRANSITIVE', c, a, b)).toEqual([expected]);
  });
});

describe('Avro edge cases (avsc resolution)', () => {
  it('a union that gains a branch can read the old data but not be read by it', () => {
    const narrow = user({ name: 'v', type: ['null', 'string'], default: null });
    const wide = user({ name: 'v', type: ['null', 'string', 'int'], default: null });
    expect(check('BACKWARD', wide, narrow)).toEqual([]);
    expect(check('FORWARD', wide, narrow)[0]).toMatch(/field 'v'/);
  });

  it('an enum that gains a symbol is BACKWARD but not FORWARD compatible', () => {
    const e = (...symbols: string[]) => user({ name: 'kind', type: { type: 'enum', name: 'Kind', symbols } });
    expect(check('BACKWARD', e('A', 'B', 'C'), e('A', 'B'))).toEqual([]);
    expect(check('FORWARD', e('A', 'B', 'C'), e('A', 'B'))[0]).toMatch(/field 'kind'/);
  });

  it('an enum reader missing a writer symbol is compatible only with a default', () => {
    const e = (extra: object, ...symbols: string[]) => user({ name: 'kind', type: { type: 'enum', name: 'Kind', symbols, ...extra } });
    expect(check('BACKWARD', e({}, 'A'), e({}, 'A', 'B'))[0]).toMatch(/field 'kind'/);
    expect(check('BACKWARD', e({ default: 'A' }, 'A'), e({}, 'A', 'B'))).toEqual([]);
  });

  it('int, long and float promote as the Avro spec says, and never narrow', () => {
    const n = (type: string) => user({ name: 'n', type });
    for (const [from, to] of [['int', 'long'], ['int', 'double'], ['long', 'float'], ['float', 'double'], ['string', 'bytes'], ['bytes', 'string']]) {
      expect([from, to, check('BACKWARD', n(to!), n(from!))]).toEqual([from, to, []]);
    }
    expect(check('BACKWARD', n('int'), n('long'))).toHaveLength(1);
  });

  it('a renamed record is compatible when the reader lists the old name as an alias', () => {
    const renamed = parseAvro(JSON.stringify({ type: 'record', name: 'Customer', namespace: 'shop', aliases: ['shop.User'], fields: [id, name] })).type;
    expect(check('BACKWARD', renamed, v1)).toEqual([]);
  });

  it('a renamed field is compatible through an alias, not without', () => {
    const old = user({ name: 'mail', type: 'string' });
    expect(check('BACKWARD', user({ name: 'email', type: 'string', aliases: ['mail'] }), old)).toEqual([]);
    expect(check('BACKWARD', user({ name: 'email', type: 'string' }), old)[0]).toMatch(/field 'email'/);
  });

  it('a renamed record is incompatible', () => {
    const other = parseAvro(JSON.stringify({ type: 'record', name: 'Customer', namespace: 'shop', fields: [id, name] })).type;
    expect(check('BACKWARD', other, v1)).toHaveLength(1);
  });
});

describe('parseLevel', () => {
  it('accepts any case and rejects unknown levels with 42203', () => {
    expect(parseLevel('full_transitive')).toBe('FULL_TRANSITIVE');
    const err = (() => {
      try {
        parseLevel('SIDEWAYS');
      } catch (e) {
        return e;
      }
    })() as RegistryError;
    expect(err).toBeInstanceOf(RegistryError);
    expect([err.status, err.errorCode]).toEqual([422, 42203]);
  });
});

describe('the SalesOrder evolution that added user_id', () => {
  it('is FULL compatible with the version before it: old orders read with user_id null, old readers skip it', () => {
    const current = JSON.parse(readFileSync(new URL('../../../schemas/sales-order.avsc', import.meta.url), 'utf8')) as { fields: { name: string }[] };
    expect(current.fields.some((f) => f.name === 'user_id')).toBe(true);
    const before = { ...current, fields: current.fields.filter((f) => f.name !== 'user_id') };
    const parse = (s: unknown) => parseAvro(JSON.stringify(s)).type;
    for (const level of ['BACKWARD', 'FORWARD', 'FULL'] as const) expect(compatibilityErrors(parse(current), [{ version: 1, type: parse(before) }], level)).toEqual([]);
  });
});
