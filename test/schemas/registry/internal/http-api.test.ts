import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { httpHandler } from '../../../../schemas/registry/internal/http-api.ts';
import { RegistryService } from '../../../../schemas/registry/internal/registry-service.ts';
import { RegistryState } from '../../../../schemas/registry/internal/registry-state.ts';
import { http } from '../registry-harness.ts';
import { MemoryLog } from './memory-log.ts';

// The HTTP layer over a registry whose log lives in memory: routing, answers and error mapping without Kafka.
let server: Server;
let base: string;
let log: MemoryLog;
const call = (method: string, path: string, body?: unknown) => http(base, method, path, body);

beforeAll(async () => {
  const state = new RegistryState();
  log = new MemoryLog(state);
  server = createServer(httpHandler(new RegistryService(state, log)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('http-api', () => {
  it('writes a registration to the log as a Confluent SCHEMA record and serves it back', async () => {
    const schema = '{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]}';
    expect((await call('POST', '/subjects/a/versions', { schema })).body).toEqual({ id: 1 });
    const [key, value, accepted] = log.records.at(-1)!;
    expect([key, accepted]).toEqual([{ keytype: 'SCHEMA', subject: 'a', version: 1 }, true]);
    expect(value).toEqual({ subject: 'a', version: 1, id: 1, schema: '{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]}', deleted: false });
    const got = await call('GET', '/subjects/a/versions/latest');
    expect(got).toMatchObject({ status: 200, contentType: 'application/vnd.schemaregistry.v1+json', body: { subject: 'a', version: 1, id: 1 } });
  });

  it('maps errors to Confluent bodies: 404 route, 405 method, 400 body, 422 version', async () => {
    expect(await call('GET', '/nope')).toMatchObject({ status: 404, body: { error_code: 404 } });
    expect(await call('PUT', '/subjects/a/versions')).toMatchObject({ status: 405, body: { error_code: 405 } });
    expect(await call('PUT', '/config', '[1,2]')).toMatchObject({ status: 400, body: { error_code: 400, message: 'Malformed JSON body: expected a JSON object' } });
    expect(await call('GET', '/subjects/a/versions/first')).toMatchObject({ status: 422, body: { error_code: 42202 } });
  });

  it('answers 500/50001 when the store fails, without leaking a stack', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const sync = log.sync;
    log.sync = async () => {
      throw new Error('broker unreachable');
    };
    try {
      expect(await call('GET', '/subjects')).toEqual({
        status: 500,
        contentType: 'application/vnd.schemaregistry.v1+json',
        body: { error_code: 50001, message: 'Error in the backend data store: broker unreachable' },
      });
      expect(logged).toHaveBeenCalledTimes(1);
    } finally {
      log.sync = sync;
      logged.mockRestore();
    }
  });
});
