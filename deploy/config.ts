import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './local/paths.ts';

/**
 * Where streamhouse finds Kafka, the object store, the schema registry and the Iceberg
 * catalog. Defaults are the local services (deploy/local/local.json). Each key can be
 * overridden by an environment variable, or by a JSON file named by STREAMHOUSE_CONFIG
 * with the same shape as local.json; environment variables win over the file.
 */
export interface PlatformConfig {
  kafka: {
    /** Bootstrap servers, `host:port`. Env: STREAMHOUSE_KAFKA_BROKERS (comma-separated). */
    brokers: string[];
  };
  s3: {
    /** S3 API endpoint. Env: STREAMHOUSE_S3_ENDPOINT. */
    endpoint: string;
    /** Env: STREAMHOUSE_S3_REGION. */
    region: string;
    /** The bucket that holds the lake. Env: STREAMHOUSE_S3_BUCKET. */
    bucket: string;
    /** Env: STREAMHOUSE_S3_ACCESS_KEY_ID. */
    accessKeyId: string;
    /** Env: STREAMHOUSE_S3_SECRET_ACCESS_KEY. */
    secretAccessKey: string;
  };
  registry: {
    /** Confluent-compatible schema registry. Env: STREAMHOUSE_REGISTRY_URL. */
    url: string;
  };
  catalog: {
    /** Iceberg REST catalog. Env: STREAMHOUSE_CATALOG_URL. */
    url: string;
    /** Where new tables are placed. Env: STREAMHOUSE_WAREHOUSE. */
    warehouse: string;
  };
  http: {
    /** Interface of each instance's /metrics, /healthz and query API. Env: STREAMHOUSE_HTTP_HOST. */
    host: string;
    /** Env: STREAMHOUSE_HTTP_PORT. */
    port: number;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const ENV: Record<string, (c: PlatformConfig, v: string) => void> = {
  STREAMHOUSE_KAFKA_BROKERS: (c, v) => (c.kafka.brokers = v.split(',').map((s) => s.trim()).filter(Boolean)),
  STREAMHOUSE_S3_ENDPOINT: (c, v) => (c.s3.endpoint = v),
  STREAMHOUSE_S3_REGION: (c, v) => (c.s3.region = v),
  STREAMHOUSE_S3_BUCKET: (c, v) => (c.s3.bucket = v),
  STREAMHOUSE_S3_ACCESS_KEY_ID: (c, v) => (c.s3.accessKeyId = v),
  STREAMHOUSE_S3_SECRET_ACCESS_KEY: (c, v) => (c.s3.secretAccessKey = v),
  STREAMHOUSE_REGISTRY_URL: (c, v) => (c.registry.url = v),
  STREAMHOUSE_CATALOG_URL: (c, v) => (c.catalog.url = v),
  STREAMHOUSE_WAREHOUSE: (c, v) => (c.catalog.warehouse = v),
  STREAMHOUSE_HTTP_HOST: (c, v) => (c.http.host = v),
  STREAMHOUSE_HTTP_PORT: (c, v) => {
    if (!/^\d{1,5}$/.test(v.trim())) throw new ConfigError(`http.port (STREAMHOUSE_HTTP_PORT): "${v}" is not a port number`);
    c.http.port = Number(v);
  },
};

/** The local defaults, as the local services are started with them. */
export function localDefaults(): PlatformConfig {
  const raw = JSON.parse(readFileSync(join(ROOT, 'deploy', 'local', 'local.json'), 'utf8')) as PlatformConfig & {
    _comment?: string;
  };
  delete raw._comment;
  return raw;
}

/** Reads and validates the configuration; throws ConfigError naming the bad key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const config = localDefaults();
  if (env.STREAMHOUSE_CONFIG) {
    let file: unknown;
    try {
      file = JSON.parse(readFileSync(env.STREAMHOUSE_CONFIG, 'utf8'));
    } catch (err) {
      throw new ConfigError(`STREAMHOUSE_CONFIG=${env.STREAMHOUSE_CONFIG} cannot be read as JSON: ${(err as Error).message}`);
    }
    mergeFile(config, file, env.STREAMHOUSE_CONFIG);
  }
  for (const [name, apply] of Object.entries(ENV)) {
    const value = env[name];
    if (value !== undefined && value !== '') apply(config, value);
  }
  validate(config);
  return config;
}

/** Copies a config file's keys over the defaults; unknown keys and wrong types are errors, not ignored. */
function mergeFile(config: PlatformConfig, file: unknown, path: string): void {
  const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  if (kind(file) !== 'object') throw new ConfigError(`${path}: must hold a JSON object, not ${kind(file)}`);
  for (const [key, given] of Object.entries(file as Record<string, unknown>)) {
    const section = (config as unknown as Record<string, Record<string, unknown> | undefined>)[key];
    if (!section) throw new ConfigError(`${path}: unknown key "${key}"`);
    if (kind(given) !== 'object') throw new ConfigError(`${path}: "${key}" must be an object, not ${kind(given)}`);
    for (const [field, value] of Object.entries(given as Record<string, unknown>)) {
      if (!(field in section)) throw new ConfigError(`${path}: unknown key "${key}.${field}"`);
      const want = kind(section[field]);
      if (kind(value) !== want) throw new ConfigError(`${path}: "${key}.${field}" must be ${want === 'array' ? 'an' : 'a'} ${want}, not ${kind(value)}`);
      section[field] = value;
    }
  }
}

function validate(c: PlatformConfig): void {
  if (c.kafka.brokers.length === 0) throw new ConfigError('kafka.brokers (STREAMHOUSE_KAFKA_BROKERS) is empty');
  for (const b of c.kafka.brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(b)) {
      throw new ConfigError(`kafka.brokers (STREAMHOUSE_KAFKA_BROKERS): "${b}" is not host:port`);
    }
  }
  for (const [key, env, value] of [
    ['s3.endpoint', 'STREAMHOUSE_S3_ENDPOINT', c.s3.endpoint],
    ['registry.url', 'STREAMHOUSE_REGISTRY_URL', c.registry.url],
    ['catalog.url', 'STREAMHOUSE_CATALOG_URL', c.catalog.url],
  ] as const) {
    if (!/^https?:\/\/[^\s/]+/.test(value)) throw new ConfigError(`${key} (${env}): "${value}" is not an http(s) URL`);
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(c.s3.bucket)) {
    throw new ConfigError(`s3.bucket (STREAMHOUSE_S3_BUCKET): "${c.s3.bucket}" is not a valid bucket name`);
  }
  if (!c.s3.accessKeyId || !c.s3.secretAccessKey) {
    throw new ConfigError('s3.accessKeyId and s3.secretAccessKey (STREAMHOUSE_S3_ACCESS_KEY_ID/SECRET_ACCESS_KEY) must be set');
  }
  if (!/^s3a?:\/\/[^\s/]+/.test(c.catalog.warehouse)) {
    throw new ConfigError(`catalog.warehouse (STREAMHOUSE_WAREHOUSE): "${c.catalog.warehouse}" is not an s3:// location`);
  }
  if (!Number.isInteger(c.http.port) || c.http.port < 0 || c.http.port > 65535) {
    throw new ConfigError(`http.port (STREAMHOUSE_HTTP_PORT): "${c.http.port}" is not a port number`);
  }
}

/** Whether a service is the local default (and so started by services:up) or an external one. */
export function usesLocal(c: PlatformConfig): { kafka: boolean; objectStore: boolean; registry: boolean; catalog: boolean } {
  const d = localDefaults();
  return {
    kafka: c.kafka.brokers.join(',') === d.kafka.brokers.join(','),
    objectStore: c.s3.endpoint === d.s3.endpoint,
    registry: c.registry.url === d.registry.url,
    catalog: c.catalog.url === d.catalog.url,
  };
}
