import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Handles one request on a registered route; `url` is parsed against the server's address. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export interface MetricsServerOptions {
  host: string;
  /** 0 picks an ephemeral port; `address()` tells which. */
  port: number;
  registry: Registry;
  /** True while the instance is alive (not ERROR, not NOT_RUNNING after a failure). */
  healthy: () => boolean;
  /** True while the instance is RUNNING. */
  ready: () => boolean;
}

/**
 * The small HTTP server of each instance: `GET /metrics` (Prometheus text format),
 * `GET /healthz` and `GET /readyz` (200 or 503 with a one-word body). Other modules (the
 * interactive-query API) add routes with `route(method, prefix, handler)`; the longest
 * matching path prefix wins.
 */
export class MetricsServer {
  private server: Server | undefined;
  private readonly routes: { method: string; prefix: string; handler: RouteHandler }[] = [];

  constructor(private readonly options: MetricsServerOptions) {
    this.route('GET', '/metrics', async (_req, res) => {
      const body = await options.registry.metrics();
      res.writeHead(200, { 'content-type': options.registry.contentType }).end(body);
    });
    this.route('GET', '/healthz', (_req, res) => probe(res, options.healthy(), 'ok', 'unhealthy'));
    this.route('GET', '/readyz', (_req, res) => probe(res, options.ready(), 'ready', 'not ready'));
  }

  route(method: string, prefix: string, handler: RouteHandler): void {
    this.routes.push({ method: method.toUpperCase(), prefix, handler });
    this.routes.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  async start(): Promise<AddressInfo> {
    const server = createServer((req, res) => void this.dispatch(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    return this.address();
  }

  address(): AddressInfo {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('metrics server is not listening');
    return address;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = this.routes.find(
      (r) => r.method === req.method && (url.pathname === r.prefix || url.pathname.startsWith(`${r.prefix}/`)),
    );
    try {
      if (!route) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      else await route.handler(req, res, url);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(err instanceof Error ? err.message : String(err));
    }
  }
}

function probe(res: ServerResponse, ok: boolean, yes: string, no: string): void {
  res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? yes : no);
}
