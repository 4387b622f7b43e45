import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../deploy/local/paths.ts';

/**
 * deploy/docker-compose.yml as Debian's docker-compose 1.29 reads it (Docker itself is not
 * needed: `config` only parses, interpolates and validates). `npm test` installs the
 * package; docker-compose is written in Python and depends on python3-yaml, which these
 * tests borrow to read its YAML output.
 */
const COMPOSE_FILE = join(ROOT, 'deploy', 'docker-compose.yml');

/** The environment without any variable that would override deploy/.env. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(STREAMHOUSE_|S3_|GRAFANA_|COMPOSE_)/.test(k)));
}

function compose(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('docker-compose', ['-f', COMPOSE_FILE, ...args], { cwd, env: cleanEnv(), encoding: 'utf8' });
  if (r.error) throw new Error(`docker-compose cannot be run (${r.error.message}); install it with "apt-get install docker-compose"`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function yamlToJson(text: string): unknown {
  const r = spawnSync('python3', ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot parse YAML: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  healthcheck?: { test: string[] };
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: (string | { type: string; source: string; target: string })[];
}
interface ComposeConfig {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const cache = new Map<string, ComposeConfig>();
/** The resolved configuration, as docker-compose prints it, run from `cwd`. */
function resolved(cwd = ROOT): ComposeConfig {
  if (!cache.has(cwd)) {
    const r = compose(['config'], cwd);
    expect(r.status, r.stderr).toBe(0);
    cache.set(cwd, yamlToJson(r.stdout) as ComposeConfig);
  }
  return cache.get(cwd)!;
}

describe('deploy/docker-compose.yml', () => {
  it('passes `docker-compose config -q` (docker-compose 1.29)', () => {
    const version = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toMatch(/^1\.(29|[3-9]\d)\.|^2\./);
    const r = compose(['config', '-q']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('lists exactly the expected services', () => {
    const r = compose(['config', '--services']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual(
      ['catalog', 'create-bucket', 'grafana', 'kafka', 'minio', 'prometheus', 'schema-registry', 'seaweedfs', 'streamhouse'].sort(),
    );
  });

  it('pins every image to an exact tag, and builds streamhouse from deploy/Dockerfile on node:20', () => {
    const { services } = resolved();
    const images = Object.fromEntries(Object.entries(services).map(([name, s]) => [name, s.image]));
    expect(images).toEqual({
      kafka: 'apache/kafka:4.3.1',
      'schema-registry': 'confluentinc/cp-schema-registry:8.3.1',
      seaweedfs: 'chrislusf/seaweedfs:4.48',
      'create-bucket': 'chrislusf/seaweedfs:4.48',
      minio: 'quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z',
      streamhouse: 'streamhouse:0.1.0',
      catalog: 'streamhouse:0.1.0',
      prometheus: 'prom/prometheus:v3.7.3',
      grafana: 'grafana/grafana:12.3.1',
    });
    expect(services.streamhouse!.build).toEqual({ context: ROOT, dockerfile: 'deploy/Dockerfile' });
    expect(services.catalog!.build).toEqual(services.streamhouse!.build);
    const dockerfile = readFileSync(join(ROOT, 'deploy', 'Dockerfile'), 'utf8');
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(base).toMatch(/^node:20\.\d+\.\d+-/);
  });

  it('has a health check on every long-running service, and MinIO only under the minio profile', () => {
    const { services } = resolved();
    for (const [name, s] of Object.entries(services)) {
      if (name === 'create-bucket') continue; // a one-shot job; streamhouse waits for its success
      expect(s.healthcheck?.test?.length, `${name} has no health check`).toBeGreaterThan(0);
    }
    expect(Object.entries(services).filter(([, s]) => s.profiles).map(([name, s]) => [name, s.profiles])).toEqual([['minio', ['minio']]]);
  });

  it('keeps data in named volumes', () => {
    const { services, volumes } = resolved();
    expect(Object.keys(volumes).sort()).toEqual(
      ['catalog-state', 'grafana-data', 'kafka-data', 'minio-data', 'prometheus-data', 'seaweedfs-data', 'streamhouse-state'].sort(),
    );
    const used = Object.values(services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => (typeof v === 'string' ? v.split(':')[0] : v.source));
    for (const name of Object.keys(volumes)) expect(used, `volume ${name} is not mounted`).toContain(name);
  });

  it('takes the project name and credentials from deploy/.env, whatever the working directory', () => {
    expect(readFileSync(join(ROOT, 'deploy', '.env'), 'utf8')).toMatch(/^COMPOSE_PROJECT_NAME=streamhouse$/m);
    const { services } = resolved('/');
    const env = services.streamhouse!.environment!;
    expect(env.STREAMHOUSE_S3_ACCESS_KEY_ID).toBe('streamhouse-local');
    expect(env.STREAMHOUSE_KAFKA_BROKERS).toBe('kafka:19092');
    expect(env.STREAMHOUSE_HTTP_PORT).toBe('8088');
    expect(env.STREAMHOUSE_CATALOG_URL).toBe('http://catalog:8181');
    expect(services.seaweedfs!.environment!.S3_SECRET_ACCESS_KEY).toBe(env.STREAMHOUSE_S3_SECRET_ACCESS_KEY);
  });

  it('has Prometheus scrape streamhouse on :8088/metrics, and Grafana read that Prometheus', () => {
    const prometheus = yamlToJson(readFileSync(join(ROOT, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
    };
    const job = prometheus.scrape_configs.find((j) => j.job_name === 'streamhouse');
    expect(job?.metrics_path ?? '/metrics').toBe('/metrics');
    expect(job?.static_configs.flatMap((c) => c.targets)).toEqual(['streamhouse:8088']);

    const datasources = yamlToJson(readFileSync(join(ROOT, 'deploy', 'grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8')) as {
      datasources: { uid: string; url: string }[];
    };
    expect(datasources.datasources).toMatchObject([{ uid: 'prometheus', url: 'http://prometheus:9090' }]);
    const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy', 'grafana', 'dashboards', 'streamhouse-overview.json'), 'utf8')) as {
      panels: { datasource: { uid: string }; targets: { expr: string }[] }[];
    };
    expect(dashboard.panels.length).toBeGreaterThan(0);
    for (const p of dashboard.panels) expect(p.datasource.uid).toBe('prometheus');
    expect(dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n')).toContain('streamhouse_records_consumed_total');
  });
});
