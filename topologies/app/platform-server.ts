import { createServer, type Server } from 'node:http';
import type { KafkaStreams } from '../../runtime/index.ts';
import type { PipelineConfig } from '../pipeline-config.ts';
import { featuresHandler } from './feature-routes.ts';
import type { PlatformMetrics } from './platform-metrics.ts';

/**
 * The HTTP server of an `npm start` process (one for all its instances): `/healthz` and
 * `/readyz`, `/metrics` (the process metrics, then the runtime metrics of the first instance), and
 * the feature query API `GET /features/<customerId>`.
 */
export async function startPlatformServer(host: string, port: number, metrics: PlatformMetrics, instances: () => readonly KafkaStreams[], config: PipelineConfig): Promise<Server> {
  const features = featuresHandler(instances, config);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    void (async () => {
      if (url.pathname === '/metrics') {
        res.setHeader('content-type', metrics.registry.contentType);
        const parts = [await metrics.registry.metrics()];
        const first = instances()[0];
        if (first !== undefined) parts.push(await first.metrics.registry.metrics());
        res.end(parts.join('\n'));
      } else if (url.pathname === '/healthz') {
        res.end('ok\n');
      } else if (url.pathname === '/readyz') {
        const ready = instances().every((s) => s.state === 'RUNNING');
        res.statusCode = ready ? 200 : 503;
        res.end(ready ? 'ok\n' : 'not ready\n');
      } else if (req.method === 'GET' && url.pathname.startsWith('/features/')) {
        await features(req, res, url);
      } else {
        res.statusCode = 404;
        res.end('not found\n');
      }
    })().catch((err: Error) => {
      res.statusCode = 500;
      res.end(`${err.message}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}
