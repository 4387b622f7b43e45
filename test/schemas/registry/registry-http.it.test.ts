import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistryServer, type RunningRegistry } from '../../../schemas/registry/index.ts';
import { brokers, deleteTopics, http, recordSchema, uniqueTopic } from './registry-harness.ts';

// Confluent's REST API through raw HTTP: every route, its answer shape and its error codes.
const topic = uniqueTopic('http');
let server: RunningRegistry;
const call = (method: string, path: string, body?: unknown) => http(server.url, method, path, body);

const userV1 = recordSchema('User', [{ name: 'id', type: 'long' }]);
const userV2 = recordSchema('User', [
  { name: 'id', type: 'long' },
  { name: 'email', type: ['null', 'string'], default: null },
]);
const userRequired = recordSchema('User', [
  { name: 'id', type: 'long' },
  { name: 'age', type: 'int' },
]);

beforeAll(async () => {
  server = await startRegistryServer({ brokers, topic, port: 0 });
});

afterAll(async () => {
  await server?.close();
  await deleteTopics([topic]);
});

describe('subjects and versions', () => {
  it('registers and lists, with Confluent content type', async () => {
    const reg = await call('POST', '/subjects/users-value/versions', { schema: userV1 });
    expect(reg.status).toBe(200);
    expect(reg.contentType).toBe('application/vnd.schemaregistry.v1+json');
    const id = reg.body.id as number;
    expect((await call('POST', '/subjects/users-value/versions', { schema: userV2 })).status).toBe(200);
    expect((await call('GET', '/subjects')).body).toContain('users-value');
    expect((await call('GET', '/subjects/users-value/versions')).body).toEqual([1, 2]);
    const v1 = await call('GET', '/subjects/users-value/versions/1');
    expect(v1.body).toEqual({ subject: 'users-value', version: 1, id, schema: JSON.stringify(JSON.parse(v1.body.schema)) });
    expect(JSON.parse(v1.body.schema)).toMatchObject({ name: 'test.User', type: 'record' });
    expect((await call('GET', '/subjects/users-value/versions/latest')).body.version).toBe(2);
    expect((await call('GET', '/subjects/users-value/versions/-1')).body.version).toBe(2);
    expect((await call('GET', '/subjects/users-value/versions/1/schema')).body).toMatchObject({ name: 'test.User' });
  });

  it('returns the existing id and version for a re-registration, even with other whitespace', async () => {
    const first = await call('POST', '/subjects/same-value/versions', { schema: userV1 });
    const spaced = JSON.stringify(JSON.parse(userV1), null, 2);
    const again = await call('POST', '/subjects/same-value/versions', { schema: spaced });
    expect(again.body.id).toBe(first.body.id);
    expect((await call('GET', '/subjects/same-value/versions')).body).toEqual([1]);
  });

  it('answers 40401, 40402 and 42202 for unknown subjects, versions and bad version ids', async () => {
    await call('POST', '/subjects/known-value/versions', { schema: userV1 });
    expect(await call('GET', '/subjects/nope/versions')).toMatchObject({ status: 404, body: { error_code: 40401 } });
    expect(await call('GET', '/subjects/nope/versions/1')).toMatchObject({ status: 404, body: { error_code: 40401 } });
    expect(await call('GET', '/subjects/known-value/versions/9')).toMatchObject({ status: 404, body: { error_code: 40402, message: 'Version 9 not found.' } });
    for (const bad of ['abc', '0', '2147483648']) {
      expect(await call('GET', `/subjects/known-value/versions/${bad}`)).toMatchObject({ status: 422, body: { error_code: 42202 } });
    }
  });

  it('looks a schema up under a subject: found, 40401, 40403', async () => {
    const { body } = await call('POST', '/subjects/lookup-value/versions', { schema: userV1 });
    const found = await call('POST', '/subjects/lookup-value', { schema: userV1 });
    expect(found.body).toMatchObject({ subject: 'lookup-value', version: 1, id: body.id });
    expect(await call('POST', '/subjects/missing-value', { schema: userV1 })).toMatchObject({ status: 404, body: { error_code: 40401 } });
    expect(await call('POST', '/subjects/lookup-value', { schema: userV2 })).toMatchObject({ status: 404, body: { error_code: 40403 } });
  });

  it('refuses a blank subject name with 42208', async () => {
    expect(await call('POST', '/subjects/%20/versions', { schema: userV1 })).toMatchObject({ status: 422, body: { error_code: 42208 } });
  });

  it('refuses invalid schemas with 42201 and unsupported types with 42201', async () => {
    const invalid = await call('POST', '/subjects/bad-value/versions', { schema: '{"type":"record","name":"X","fields":[{"name":"a","type":"Nope"}]}' });
    expect(invalid).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(invalid.body.message).toMatch(/Nope/);
    expect(await call('POST', '/subjects/bad-value/versions', { schema: '{not json' })).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(await call('POST', '/subjects/bad-value/versions', {})).toMatchObject({ status: 422, body: { error_code: 42201, message: 'Empty schema' } });
    const json = await call('POST', '/subjects/bad-value/versions', { schemaType: 'JSON', schema: '{"type":"object"}' });
    expect(json).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(await call('POST', '/subjects/bad-value/versions', '{"schema": ')).toMatchObject({ status: 400 });
  });
});

describe('schemas by id', () => {
  it('serves /schemas/ids/{id}, its schema, versions and subjects, and /schemas/types', async () => {
    const { body } = await call('POST', '/subjects/ids-a-value/versions', { schema: recordSchema('Ids', [{ name: 'x', type: 'int' }]) });
    await call('POST', '/subjects/ids-b-value/versions', { schema: recordSchema('Ids', [{ name: 'x', type: 'int' }]) });
    const byId = await call('GET', `/schemas/ids/${body.id}`);
    expect(Object.keys(byId.body)).toEqual(['schema']);
    expect((await call('GET', `/schemas/ids/${body.id}/schema`)).body).toMatchObject({ name: 'test.Ids' });
    expect((await call('GET', `/schemas/ids/${body.id}/versions`)).body).toEqual([
      { subject: 'ids-a-value', version: 1 },
      { subject: 'ids-b-value', version: 1 },
    ]);
    expect((await call('GET', `/schemas/ids/${body.id}/subjects`)).body).toEqual(['ids-a-value', 'ids-b-value']);
    expect(await call('GET', '/schemas/ids/99999')).toMatchObject({ status: 404, body: { error_code: 40403, message: 'Schema 99999 not found' } });
    expect((await call('GET', '/schemas/types')).body).toEqual(['AVRO']);
    const listed = (await call('GET', '/schemas?subjectPrefix=ids-')).body;
    expect(listed.map((v: { subject: string; id: number }) => [v.subject, v.id])).toEqual([
      ['ids-a-value', body.id],
      ['ids-b-value', body.id],
    ]);
    expect((await call('GET', '/subjects?subjectPrefix=ids-')).body).toEqual(['ids-a-value', 'ids-b-value']);
  });
});

describe('config', () => {
  it('reads and sets the global and subject levels; 40408 without a subject level; 42203 for bad levels', async () => {
    expect((await call('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    await call('POST', '/subjects/cfg-value/versions', { schema: userV1 });
    expect(await call('GET', '/config/cfg-value')).toMatchObject({ status: 404, body: { error_code: 40408 } });
    expect((await call('GET', '/config/cfg-value?defaultToGlobal=true')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await call('PUT', '/config/cfg-value', { compatibility: 'full' })).body).toEqual({ compatibility: 'FULL' });
    expect((await call('GET', '/config/cfg-value')).body).toEqual({ compatibilityLevel: 'FULL' });
    expect(await call('PUT', '/config/cfg-value', { compatibility: 'SIDEWAYS' })).toMatchObject({ status: 422, body: { error_code: 42203 } });
    expect(await call('PUT', '/config', { compatibility: 42 })).toMatchObject({ status: 422, body: { error_code: 42203 } });
    expect((await call('DELETE', '/config/cfg-value')).body).toEqual({ compatibilityLevel: 'FULL' });
    expect(await call('GET', '/config/cfg-value')).toMatchObject({ status: 404, body: { error_code: 40408 } });
  });

  it('applies a changed global level to subjects without their own', async () => {
    try {
      expect((await call('PUT', '/config', { compatibility: 'NONE' })).body).toEqual({ compatibility: 'NONE' });
      await call('POST', '/subjects/global-value/versions', { schema: userV1 });
      expect((await call('POST', '/subjects/global-value/versions', { schema: userRequired })).status).toBe(200);
    } finally {
      expect((await call('DELETE', '/config')).body).toEqual({ compatibilityLevel: 'NONE' });
    }
    expect((await call('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
  });
});

describe('compatibility', () => {
  const passing: Record<string, [string, string]> = {
    BACKWARD: [userV1, userV2],
    BACKWARD_TRANSITIVE: [userV1, userV2],
    FORWARD: [userV2, userV1],
    FORWARD_TRANSITIVE: [userV2, userV1],
    FULL: [userV1, userV2],
    FULL_TRANSITIVE: [userV1, userV2],
    NONE: [userV1, recordSchema('User', [{ name: 'other', type: 'string' }])],
  };
  const failing: Record<string, [string, string, RegExp]> = {
    BACKWARD: [userV1, userRequired, /field 'age' in the new schema has no default value/],
    BACKWARD_TRANSITIVE: [userV1, userRequired, /field 'age' in the new schema has no default value/],
    FORWARD: [userRequired, userV1, /field 'age' in the old schema has no default value/],
    FORWARD_TRANSITIVE: [userRequired, userV1, /field 'age' in the old schema has no default value/],
    FULL: [userV1, userRequired, /field 'age'/],
    FULL_TRANSITIVE: [userRequired, userV1, /field 'age'/],
  };

  for (const [level, [from, to]] of Object.entries(passing)) {
    it(`${level}: registers a compatible evolution`, async () => {
      const subject = `pass-${level.toLowerCase()}-value`;
      await call('PUT', `/config/${subject}`, { compatibility: level });
      await call('POST', `/subjects/${subject}/versions`, { schema: from });
      expect((await call('POST', `/subjects/${subject}/versions`, { schema: to })).status).toBe(200);
      expect((await call('GET', `/subjects/${subject}/versions`)).body).toEqual([1, 2]);
    });
  }

  for (const [level, [from, to, why]] of Object.entries(failing)) {
    it(`${level}: refuses an incompatible evolution with 409/40901 naming the field`, async () => {
      const subject = `fail-${level.toLowerCase()}-value`;
      await call('PUT', `/config/${subject}`, { compatibility: level });
      await call('POST', `/subjects/${subject}/versions`, { schema: from });
      const res = await call('POST', `/subjects/${subject}/versions`, { schema: to });
      expect(res).toMatchObject({ status: 409, body: { error_code: 40901 } });
      expect(res.body.message).toMatch(why);
    });
  }

  it('the _TRANSITIVE levels check every version, the plain ones only the latest', async () => {
    const v = (...extra: { name: string; type: string; default?: number }[]) => recordSchema('T', [{ name: 'id', type: 'long' }, ...extra]);
    const chain = [v(), v({ name: 'x', type: 'int', default: 0 }), v({ name: 'x', type: 'int' })];
    for (const [level, ok] of [['BACKWARD', true], ['BACKWARD_TRANSITIVE', false]] as const) {
      const subject = `chain-${level.toLowerCase()}-value`;
      await call('PUT', `/config/${subject}`, { compatibility: level });
      await call('POST', `/subjects/${subject}/versions`, { schema: chain[0] });
      await call('POST', `/subjects/${subject}/versions`, { schema: chain[1] });
      const res = await call('POST', `/subjects/${subject}/versions`, { schema: chain[2] });
      expect(res.status).toBe(ok ? 200 : 409);
      if (!ok) expect(res.body.message).toMatch(/version 1: field 'x'/);
    }
    const fwd = [v({ name: 'y', type: 'int' }), v({ name: 'y', type: 'int', default: 0 }), v()];
    for (const [level, ok] of [['FORWARD', true], ['FORWARD_TRANSITIVE', false], ['FULL', true], ['FULL_TRANSITIVE', false]] as const) {
      const subject = `chain-${level.toLowerCase()}-value`;
      await call('PUT', `/config/${subject}`, { compatibility: level });
      for (const s of fwd.slice(0, 2)) expect((await call('POST', `/subjects/${subject}/versions`, { schema: s })).status).toBe(200);
      const res = await call('POST', `/subjects/${subject}/versions`, { schema: fwd[2] });
      expect([level, res.status]).toEqual([level, ok ? 200 : 409]);
      if (!ok) expect(res.body.message).toMatch(/version 1: field 'y'/);
    }
  });

  it('POST /compatibility answers is_compatible, with messages when verbose', async () => {
    await call('POST', '/subjects/compat-value/versions', { schema: userV1 });
    expect((await call('POST', '/compatibility/subjects/compat-value/versions/latest', { schema: userV2 })).body).toEqual({ is_compatible: true });
    const bad = await call('POST', '/compatibility/subjects/compat-value/versions/1?verbose=true', { schema: userRequired });
    expect(bad.body.is_compatible).toBe(false);
    expect(bad.body.messages[0]).toMatch(/field 'age'/);
    expect((await call('POST', '/compatibility/subjects/compat-value/versions', { schema: userV2 })).body).toEqual({ is_compatible: true });
    expect((await call('POST', '/compatibility/subjects/new-value/versions/latest', { schema: userV1 })).body).toEqual({ is_compatible: true });
    expect(await call('POST', '/compatibility/subjects/compat-value/versions/7', { schema: userV1 })).toMatchObject({ status: 404, body: { error_code: 40402 } });
  });
});

describe('deletes', () => {
  it('soft-deletes a version, keeps its id resolvable, and hard-deletes it only after (40406, 40407)', async () => {
    const s = 'del-version-value';
    // a schema no other test registers, so that its id has no other holder
    const only = recordSchema('OnlyHere', [{ name: 'id', type: 'long' }]);
    const { body } = await call('POST', `/subjects/${s}/versions`, { schema: only });
    await call('POST', `/subjects/${s}/versions`, { schema: recordSchema('OnlyHere', [{ name: 'id', type: 'long' }, { name: 'n', type: 'int', default: 0 }]) });
    expect(await call('DELETE', `/subjects/${s}/versions/1?permanent=true`)).toMatchObject({ status: 404, body: { error_code: 40407 } });
    expect((await call('DELETE', `/subjects/${s}/versions/1`)).body).toBe(1);
    expect(await call('GET', `/subjects/${s}/versions/1`)).toMatchObject({ status: 404, body: { error_code: 40402 } });
    expect((await call('GET', `/subjects/${s}/versions/1?deleted=true`)).body).toMatchObject({ version: 1, deleted: true });
    expect((await call('GET', `/subjects/${s}/versions`)).body).toEqual([2]);
    expect((await call('GET', `/subjects/${s}/versions?deleted=true`)).body).toEqual([1, 2]);
    expect((await call('GET', `/schemas/ids/${body.id}`)).status).toBe(200);
    expect(await call('DELETE', `/subjects/${s}/versions/1`)).toMatchObject({ status: 404, body: { error_code: 40406 } });
    expect((await call('DELETE', `/subjects/${s}/versions/1?permanent=true`)).body).toBe(1);
    expect((await call('GET', `/subjects/${s}/versions?deleted=true`)).body).toEqual([2]);
    expect(await call('GET', `/schemas/ids/${body.id}`)).toMatchObject({ status: 404, body: { error_code: 40403 } });
  });

  it('soft-deletes a subject, lists it with deleted=true, and hard-deletes it only after (40404, 40405)', async () => {
    const s = 'del-subject-value';
    await call('POST', `/subjects/${s}/versions`, { schema: userV1 });
    await call('POST', `/subjects/${s}/versions`, { schema: userV2 });
    await call('PUT', `/config/${s}`, { compatibility: 'NONE' });
    expect(await call('DELETE', `/subjects/${s}?permanent=true`)).toMatchObject({ status: 404, body: { error_code: 40405 } });
    expect((await call('DELETE', `/subjects/${s}`)).body).toEqual([1, 2]);
    expect((await call('GET', '/subjects')).body).not.toContain(s);
    expect((await call('GET', '/subjects?deleted=true')).body).toContain(s);
    expect(await call('GET', `/subjects/${s}/versions`)).toMatchObject({ status: 404, body: { error_code: 40401 } });
    expect(await call('GET', `/config/${s}`)).toMatchObject({ status: 404, body: { error_code: 40408 } });
    expect(await call('DELETE', `/subjects/${s}`)).toMatchObject({ status: 404, body: { error_code: 40404 } });
    expect((await call('DELETE', `/subjects/${s}?permanent=true`)).body).toEqual([1, 2]);
    expect((await call('GET', '/subjects?deleted=true')).body).not.toContain(s);
    expect(await call('DELETE', `/subjects/${s}`)).toMatchObject({ status: 404, body: { error_code: 40401 } });
    // a re-registration after the hard delete starts again at version 1
    await call('POST', `/subjects/${s}/versions`, { schema: userV1 });
    expect((await call('GET', `/subjects/${s}/versions`)).body).toEqual([1]);
  });

  it('refuses to delete a version that another schema references (42206) and lists who references it', async () => {
    const address = recordSchema('Addr', [{ name: 'city', type: 'string' }], 'ref');
    await call('POST', '/subjects/ref-addr/versions', { schema: address });
    const person = JSON.stringify({ type: 'record', name: 'Person', namespace: 'ref', fields: [{ name: 'home', type: 'ref.Addr' }] });
    const refs = [{ name: 'ref.Addr', subject: 'ref-addr', version: 1 }];
    const { body } = await call('POST', '/subjects/ref-person/versions', { schema: person, references: refs });
    expect((await call('GET', '/subjects/ref-person/versions/1')).body.references).toEqual(refs);
    expect((await call('GET', `/schemas/ids/${body.id}`)).body.references).toEqual(refs);
    expect((await call('GET', '/subjects/ref-addr/versions/1/referencedby')).body).toEqual([body.id]);
    expect(await call('DELETE', '/subjects/ref-addr/versions/1')).toMatchObject({ status: 422, body: { error_code: 42206 } });
    expect(await call('DELETE', '/subjects/ref-addr')).toMatchObject({ status: 422, body: { error_code: 42206 } });
    const missing = [{ name: 'ref.Addr', subject: 'ref-addr', version: 5 }];
    expect(await call('POST', '/subjects/ref-other/versions', { schema: person, references: missing })).toMatchObject({ status: 422, body: { error_code: 42201 } });
  });
});

describe('protocol', () => {
  it('accepts plain application/json and answers unknown routes with 404', async () => {
    const res = await fetch(`${server.url}/subjects/plain-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ schema: '"string"' }),
    });
    expect(res.status).toBe(200);
    expect((await call('GET', '/nothing/here')).status).toBe(404);
    expect((await call('PATCH', '/subjects')).status).toBe(405);
    expect((await call('GET', '/')).body).toEqual({});
    expect((await call('GET', '/mode')).body).toEqual({ mode: 'READWRITE' });
    expect(await call('GET', '/subjects/%E0%A4%A/versions')).toMatchObject({ status: 400, body: { error_code: 400 } });
    expect((await call('GET', '/subjects/a%2Fb/versions')).body).toMatchObject({ error_code: 40401, message: "Subject 'a/b' not found." });
  });
});
