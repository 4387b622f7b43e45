import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig } from '../../../deploy/config.ts';
import { ROOT } from '../../../deploy/local/paths.ts';

/** Helpers of the registry integration tests: unique topics, registry processes, raw HTTP. */
export const brokers = loadConfig().kafka.brokers;

export function uniqueTopic(what: string): string {
  return `_schemas-test-${what}-${randomUUID().slice(0, 8)}`;
}

export async function deleteTopics(topics: string[]): Promise<void> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const mine = topics.filter((t) => existing.has(t));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine });
  } finally {
    await admin.disconnect();
  }
}

export interface RegistryProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Runs `streamhouse registry --port 0 --topic <topic>` and waits for its address line. */
export function startRegistryProcess(topic: string): Promise<RegistryProcess> {
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'bin', 'streamhouse.ts'), 'registry', '--port', '0', '--topic', topic], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        child.stdout!.off('data', onData);
        resolve({ url: m[1]!, child, stop: () => stopProcess(child) });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`registry process exited with ${code} before listening:\n${output}`)));
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export interface HttpAnswer {
  status: number;
  contentType: string | null;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One raw HTTP call with Confluent's content type. */
export async function http(base: string, method: string, path: string, body?: unknown): Promise<HttpAnswer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', accept: 'application/vnd.schemaregistry.v1+json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), body: text ? JSON.parse(text) : undefined };
}

/** An Avro record schema as the string the API takes. */
export function recordSchema(name: string, fields: { name: string; type: unknown; default?: unknown }[], namespace = 'test'): string {
  return JSON.stringify({ type: 'record', name, namespace, fields });
}
