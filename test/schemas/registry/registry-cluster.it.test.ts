import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistryServer } from '../../../schemas/registry/index.ts';
import { brokers, deleteTopics, http, recordSchema, startRegistryProcess, uniqueTopic, type RegistryProcess } from './registry-harness.ts';

// Several registry processes on one topic, a restart, and a topic written in Confluent's layout.
const topic = uniqueTopic('cluster');
const confluentTopic = uniqueTopic('confluent');
const running: RegistryProcess[] = [];
let a: RegistryProcess;
let b: RegistryProcess;

async function start(): Promise<RegistryProcess> {
  const p = await startRegistryProcess(topic);
  running.push(p);
  return p;
}

/** Everything a registry answers about its state, soft-deleted parts included. */
async function snapshot(url: string): Promise<unknown> {
  const subjects = (await http(url, 'GET', '/subjects?deleted=true')).body as string[];
  const out: Record<string, unknown> = { global: (await http(url, 'GET', '/config')).body };
  for (const s of subjects.sort()) {
    const versions = (await http(url, 'GET', `/subjects/${encodeURIComponent(s)}/versions?deleted=true`)).body as number[];
    const values = [];
    for (const v of versions) values.push((await http(url, 'GET', `/subjects/${encodeURIComponent(s)}/versions/${v}?deleted=true`)).body);
    out[s] = { values, config: (await http(url, 'GET', `/config/${encodeURIComponent(s)}`)).body };
  }
  return out;
}

beforeAll(async () => {
  [a, b] = await Promise.all([start(), start()]);
});

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  await deleteTopics([topic, confluentTopic]);
});

describe('two registry processes on one topic', () => {
  it('see each other\'s writes: ids resolve on the other instance and one schema keeps one id', async () => {
    const schema = recordSchema('Shared', [{ name: 'x', type: 'int' }]);
    const { body } = await http(a.url, 'POST', '/subjects/shared-a/versions', { schema });
    const onB = (await http(b.url, 'GET', `/schemas/ids/${body.id}`)).body;
    expect(JSON.parse(onB.schema)).toEqual({ name: 'test.Shared', type: 'record', fields: [{ name: 'x', type: 'int' }] });
    expect((await http(b.url, 'POST', '/subjects/shared-b/versions', { schema })).body).toEqual({ id: body.id });
    expect((await http(a.url, 'GET', `/schemas/ids/${body.id}/subjects`)).body).toEqual(['shared-a', 'shared-b']);
    await http(b.url, 'PUT', '/config/shared-a', { compatibility: 'FORWARD_TRANSITIVE' });
    expect((await http(a.url, 'GET', '/config/shared-a')).body).toEqual({ compatibilityLevel: 'FORWARD_TRANSITIVE' });
  });

  it('stay consistent under concurrent registrations on both (id and version races)', async () => {
    await http(a.url, 'PUT', '/config', { compatibility: 'NONE' });
    const jobs = Array.from({ length: 12 }, (_, i) => ({
      url: i % 2 === 0 ? a.url : b.url,
      subject: `race-${i % 3}`,
      schema: recordSchema(`Race${i}`, [{ name: 'n', type: 'int' }]),
    }));
    const answers = await Promise.all(jobs.map((j) => http(j.url, 'POST', `/subjects/${j.subject}/versions`, { schema: j.schema })));
    expect(answers.map((r) => r.status)).toEqual(jobs.map(() => 200));
    const ids = answers.map((r) => r.body.id as number);
    expect(new Set(ids).size).toBe(jobs.length);
    for (const [i, id] of ids.entries()) {
      for (const url of [a.url, b.url]) {
        const { body } = await http(url, 'GET', `/schemas/ids/${id}`);
        expect(JSON.parse(body.schema).name).toBe(`test.Race${i}`);
      }
    }
    for (let s = 0; s < 3; s++) expect((await http(a.url, 'GET', `/subjects/race-${s}/versions`)).body).toEqual([1, 2, 3, 4]);
    expect(await snapshot(b.url)).toEqual(await snapshot(a.url));
  });

  it('a restarted instance rebuilds the same state from the topic', async () => {
    await http(a.url, 'DELETE', '/subjects/race-0/versions/2');
    await http(b.url, 'DELETE', '/subjects/race-1');
    await http(a.url, 'PUT', '/config/race-2', { compatibility: 'FULL' });
    const before = await snapshot(a.url);
    await a.stop();
    const c = await start();
    expect(await snapshot(c.url)).toEqual(before);
    expect(await snapshot(b.url)).toEqual(before);
    const next = await http(c.url, 'POST', '/subjects/after-restart/versions', { schema: recordSchema('After', [{ name: 'n', type: 'int' }]) });
    expect(next.body.id).toBe(14); // 1 shared + 12 races, so the next id continues after the highest
  });
});

describe('a topic written by a Confluent Schema Registry', () => {
  it('is read with Confluent\'s ids, levels and soft deletes, and its schemas keep their ids', async () => {
    const javaSchema = (fields: string) => `{"type":"record","name":"Legacy","namespace":"old","fields":[${fields}]}`;
    const records: [string, string | null][] = [
      ['{"keytype":"CONFIG","magic":0}', '{"compatibilityLevel":"FULL"}'],
      ['{"keytype":"SCHEMA","subject":"legacy-value","version":1,"magic":1}', JSON.stringify({ subject: 'legacy-value', version: 1, id: 100, schema: javaSchema('{"name":"a","type":"int"}'), deleted: false })],
      ['{"keytype":"MODE","subject":"legacy-value","magic":0}', '{"mode":"READWRITE"}'],
      ['{"keytype":"SCHEMA","subject":"legacy-value","version":2,"magic":1}', JSON.stringify({ subject: 'legacy-value', version: 2, id: 101, md5: 'x', schema: javaSchema('{"name":"a","type":"int"},{"name":"b","type":"int","default":0}'), deleted: false })],
      ['{"keytype":"SCHEMA","subject":"gone-value","version":1,"magic":1}', JSON.stringify({ subject: 'gone-value', version: 1, id: 102, schema: '"string"', deleted: false })],
      ['{"keytype":"DELETE_SUBJECT","subject":"gone-value","magic":0}', '{"subject":"gone-value","version":1}'],
      ['{"keytype":"NOOP","magic":0}', null],
    ];
    const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: confluentTopic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: confluentTopic, messages: records.map(([key, value]) => ({ key, value })) });
    await producer.disconnect();

    const server = await startRegistryServer({ brokers, topic: confluentTopic, port: 0 });
    try {
      const call = (m: string, p: string, body?: unknown) => http(server.url, m, p, body);
      expect((await call('GET', '/subjects')).body).toEqual(['legacy-value']);
      expect((await call('GET', '/subjects?deleted=true')).body).toEqual(['gone-value', 'legacy-value']);
      expect((await call('GET', '/config')).body).toEqual({ compatibilityLevel: 'FULL' });
      expect((await call('GET', '/subjects/legacy-value/versions/latest')).body).toMatchObject({ version: 2, id: 101 });
      expect((await call('GET', '/schemas/ids/102')).body).toEqual({ schema: '"string"' });
      // The same schema in this registry's spelling is recognised as id 100.
      const ours = JSON.stringify({ name: 'old.Legacy', type: 'record', fields: [{ name: 'a', type: 'int' }] });
      expect((await call('POST', '/subjects/legacy-copy/versions', { schema: ours })).body).toEqual({ id: 100 });
      expect((await call('POST', '/subjects/fresh/versions', { schema: '"bytes"' })).body).toEqual({ id: 103 });
    } finally {
      await server.close();
    }
  });
});
