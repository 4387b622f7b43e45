import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RestCatalogClient } from '../../../../connectors/iceberg/client/rest-catalog-client.ts';
import { IcebergError } from '../../../../connectors/iceberg/errors.ts';

/**
 * A real HTTP server on a loopback port whose first `resets` requests have their
 * connection destroyed before any answer (what a client sees when the server closes a
 * pooled keep-alive connection just as it is reused), then answers normally.
 */
async function flakyCatalog(resets: number): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (seen.length <= resets) {
      req.socket.destroy();
      return;
    }
    res.setHeader('content-type', 'application/json');
    if (req.method === 'GET') res.end(JSON.stringify({ identifiers: [{ namespace: ['n'], name: 't1' }] }));
    else res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

describe('RestCatalogClient on a connection reset before any answer', () => {
  it('sends a GET again on a fresh connection and returns its answer', async () => {
    const flaky = await flakyCatalog(2);
    server = flaky.server;
    const tables = await new RestCatalogClient(flaky.url).listTables(['n']);
    expect(tables).toEqual(['t1']);
    expect(flaky.seen).toEqual(['GET /v1/namespaces/n/tables', 'GET /v1/namespaces/n/tables', 'GET /v1/namespaces/n/tables']);
  });

  it('gives up on a GET after three resets with a retriable CATALOG_UNAVAILABLE', async () => {
    const flaky = await flakyCatalog(10);
    server = flaky.server;
    const err = await new RestCatalogClient(flaky.url).listTables(['n']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IcebergError);
    expect((err as IcebergError).code).toBe('CATALOG_UNAVAILABLE');
    expect(flaky.seen).toHaveLength(3);
  });

  it('does not repeat a POST, which may have been applied', async () => {
    const flaky = await flakyCatalog(1);
    server = flaky.server;
    const err = await new RestCatalogClient(flaky.url).ensureNamespace(['n']).catch((e: unknown) => e);
    expect((err as IcebergError).code).toBe('CATALOG_UNAVAILABLE');
    expect(flaky.seen).toEqual(['POST /v1/namespaces']);
  });
});
