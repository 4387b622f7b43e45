import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, localDefaults } from '../../deploy/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'streamhouse-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** Writes a config file and returns its path. */
function configFile(content: unknown): string {
  const path = join(dir, `config-${files++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** The ConfigError message loadConfig throws for `env`. */
function failure(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('returns the local defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c).toEqual(localDefaults());
    expect(c.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.s3.endpoint).toBe('http://127.0.0.1:9000');
    expect(c.http.port).toBe(8088);
  });

  it('reads brokers from a comma-separated variable', () => {
    expect(loadConfig({ STREAMHOUSE_KAFKA_BROKERS: 'k1:9092, k2:9093 ,' }).kafka.brokers).toEqual(['k1:9092', 'k2:9093']);
  });

  it('rejects a broker that is not host:port', () => {
    expect(failure({ STREAMHOUSE_KAFKA_BROKERS: 'k1:9092,localhost' })).toBe('kafka.brokers (STREAMHOUSE_KAFKA_BROKERS): "localhost" is not host:port');
    expect(failure({ STREAMHOUSE_KAFKA_BROKERS: 'kafka:port' })).toBe('kafka.brokers (STREAMHOUSE_KAFKA_BROKERS): "kafka:port" is not host:port');
  });

  it('rejects an empty broker list', () => {
    expect(failure({ STREAMHOUSE_KAFKA_BROKERS: ' , ' })).toBe('kafka.brokers (STREAMHOUSE_KAFKA_BROKERS) is empty');
  });

  it('rejects URLs that are not http(s)', () => {
    expect(failure({ STREAMHOUSE_S3_ENDPOINT: '127.0.0.1:9000' })).toBe('s3.endpoint (STREAMHOUSE_S3_ENDPOINT): "127.0.0.1:9000" is not an http(s) URL');
    expect(failure({ STREAMHOUSE_REGISTRY_URL: 'ftp://registry' })).toBe('registry.url (STREAMHOUSE_REGISTRY_URL): "ftp://registry" is not an http(s) URL');
    expect(failure({ STREAMHOUSE_CATALOG_URL: 'http://' })).toBe('catalog.url (STREAMHOUSE_CATALOG_URL): "http://" is not an http(s) URL');
  });

  it('rejects a bad bucket name', () => {
    expect(failure({ STREAMHOUSE_S3_BUCKET: 'My_Bucket' })).toBe('s3.bucket (STREAMHOUSE_S3_BUCKET): "My_Bucket" is not a valid bucket name');
    expect(failure({ STREAMHOUSE_S3_BUCKET: 'ab' })).toBe('s3.bucket (STREAMHOUSE_S3_BUCKET): "ab" is not a valid bucket name');
  });

  it('rejects a warehouse that is not an s3:// location', () => {
    expect(failure({ STREAMHOUSE_WAREHOUSE: '/tmp/warehouse' })).toBe('catalog.warehouse (STREAMHOUSE_WAREHOUSE): "/tmp/warehouse" is not an s3:// location');
  });

  it('rejects a port that is not a number or out of range, quoting what was given', () => {
    expect(failure({ STREAMHOUSE_HTTP_PORT: 'eighty' })).toBe('http.port (STREAMHOUSE_HTTP_PORT): "eighty" is not a port number');
    expect(failure({ STREAMHOUSE_HTTP_PORT: '70000' })).toBe('http.port (STREAMHOUSE_HTTP_PORT): "70000" is not a port number');
  });

  it('takes values from the STREAMHOUSE_CONFIG file, and environment variables win over it', () => {
    const path = configFile({ kafka: { brokers: ['file-broker:9092'] }, s3: { bucket: 'from-file', region: 'eu-west-1' } });
    const c = loadConfig({ STREAMHOUSE_CONFIG: path, STREAMHOUSE_S3_BUCKET: 'from-env' });
    expect(c.kafka.brokers).toEqual(['file-broker:9092']);
    expect(c.s3.bucket).toBe('from-env');
    expect(c.s3.region).toBe('eu-west-1');
    // Keys neither the file nor the environment set keep their defaults.
    expect(c.s3.endpoint).toBe(localDefaults().s3.endpoint);
  });

  it('validates the values that come from the file, naming the key', () => {
    const path = configFile({ s3: { endpoint: 's3.example.com' } });
    expect(failure({ STREAMHOUSE_CONFIG: path })).toBe('s3.endpoint (STREAMHOUSE_S3_ENDPOINT): "s3.example.com" is not an http(s) URL');
  });

  it('rejects unknown keys and wrong types in the file instead of ignoring them', () => {
    const top = configFile({ kafak: { brokers: ['k:1'] } });
    expect(failure({ STREAMHOUSE_CONFIG: top })).toBe(`${top}: unknown key "kafak"`);
    const nested = configFile({ s3: { bukcet: 'x' } });
    expect(failure({ STREAMHOUSE_CONFIG: nested })).toBe(`${nested}: unknown key "s3.bukcet"`);
    const brokers = configFile({ kafka: { brokers: 'k:9092' } });
    expect(failure({ STREAMHOUSE_CONFIG: brokers })).toBe(`${brokers}: "kafka.brokers" must be an array, not string`);
    const port = configFile({ http: { port: '8088' } });
    expect(failure({ STREAMHOUSE_CONFIG: port })).toBe(`${port}: "http.port" must be a number, not string`);
    const section = configFile({ s3: 'http://s3' });
    expect(failure({ STREAMHOUSE_CONFIG: section })).toBe(`${section}: "s3" must be an object, not string`);
    const array = configFile([]);
    expect(failure({ STREAMHOUSE_CONFIG: array })).toBe(`${array}: must hold a JSON object, not array`);
  });

  it('names the file when it is missing or not JSON', () => {
    const broken = configFile('{ "kafka": ');
    expect(failure({ STREAMHOUSE_CONFIG: broken })).toMatch(new RegExp(`^STREAMHOUSE_CONFIG=${broken} cannot be read as JSON: `));
    const missing = join(dir, 'missing.json');
    expect(failure({ STREAMHOUSE_CONFIG: missing })).toMatch(new RegExp(`^STREAMHOUSE_CONFIG=${missing} cannot be read as JSON: ENOENT`));
  });

  it('requires both S3 credentials', () => {
    const path = configFile({ s3: { secretAccessKey: '' } });
    expect(failure({ STREAMHOUSE_CONFIG: path })).toBe(
      's3.accessKeyId and s3.secretAccessKey (STREAMHOUSE_S3_ACCESS_KEY_ID/SECRET_ACCESS_KEY) must be set',
    );
  });
});
