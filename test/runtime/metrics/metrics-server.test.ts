import { afterEach, describe, expect, it } from 'vitest';
import { MetricsServer } from '../../../runtime/metrics/metrics-server.ts';
import { StreamsMetrics } from '../../../runtime/metrics/streams-metrics.ts';

describe('MetricsServer', () => {
  let server: MetricsServer | undefined;
  afterEach(async () => server?.close());

  it('serves /metrics, /healthz, /readyz and registered routes on an ephemeral port', async () => {
    const metrics = new StreamsMetrics({ application_id: 'app' });
    metrics.recordsConsumed.inc({ topic: 'orders' }, 3);
    metrics.setState('RUNNING', ['CREATED', 'RUNNING']);
    let ready = false;
    server = new MetricsServer({ host: '127.0.0.1', port: 0, registry: metrics.registry, healthy: () => true, ready: () => ready });
    server.route('GET', '/stores', (_req, res, url) => void res.writeHead(200).end(`store ${url.pathname.split('/')[2]}`));
    const { port } = await server.start();
    expect(port).toBeGreaterThan(0);
    const base = `http://127.0.0.1:${port}`;
    const body = await (await fetch(`${base}/metrics`)).text();
    expect(body).toContain('streamhouse_records_consumed_total{topic="orders",application_id="app"} 3');
    expect(body).toContain('streamhouse_state{state="RUNNING",application_id="app"} 1');
    expect(body).toContain('# TYPE streamhouse_commit_latency_seconds histogram');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${base}/readyz`);
    expect([notReady.status, await notReady.text()]).toEqual([503, 'not ready']);
    ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${base}/stores/counts`)).text()).toBe('store counts');
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
