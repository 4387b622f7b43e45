import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Requirement, Update } from '../metadata/updates.ts';
import { StoreConflict, type CatalogStore } from './store.ts';
import type { CreateTableRequest, TableService } from './table-service.ts';
import { decodeNamespace, HttpError, readBody, sendEmpty, sendError, sendJson, toHttpError } from './internal/http.ts';

/** How long an idle keep-alive connection stays open (ms); longer than any client pools it. */
const KEEP_ALIVE_MS = 65_000;

type Handler = (req: IncomingMessage, res: ServerResponse, p: string[], url: URL) => Promise<void>;

/**
 * The Iceberg REST catalog (open-api/rest-catalog-open-api.yaml) over a CatalogStore
 * and a TableService. Routes, without a prefix:
 *
 *   GET  /v1/config
 *   GET|POST /v1/namespaces                      GET|HEAD|DELETE /v1/namespaces/{ns}
 *   POST /v1/namespaces/{ns}/properties
 *   GET|POST /v1/namespaces/{ns}/tables          POST /v1/namespaces/{ns}/register
 *   GET|HEAD|POST|DELETE /v1/namespaces/{ns}/tables/{t}   (POST = commit)
 *   POST /v1/namespaces/{ns}/tables/{t}/metrics  POST /v1/tables/rename
 */
export function catalogServer(store: CatalogStore, tables: TableService): Server {
  const loadResult = (location: string | undefined, metadata: unknown) => ({ ...(location ? { 'metadata-location': location } : {}), metadata, config: {} });
  const routes: [string, RegExp, Handler][] = [
    ['GET', /^\/v1\/config$/, async (_q, res) => sendJson(res, 200, { defaults: {}, overrides: {} })],
    ['GET', /^\/v1\/namespaces$/, async (_q, res, _p, url) => {
      const parent = url.searchParams.get('parent');
      sendJson(res, 200, { namespaces: await store.listNamespaces(parent ? decodeNamespace(parent) : []) });
    }],
    ['POST', /^\/v1\/namespaces$/, async (req, res) => {
      const body = (await readBody(req)) as { namespace?: string[]; properties?: Record<string, string> };
      if (!Array.isArray(body.namespace) || body.namespace.length === 0) throw new HttpError(400, 'BadRequestException', 'namespace is required');
      try {
        await store.createNamespace(body.namespace, body.properties ?? {});
      } catch (err) {
        if (err instanceof StoreConflict) throw new HttpError(409, 'AlreadyExistsException', err.message);
        throw err;
      }
      sendJson(res, 200, { namespace: body.namespace, properties: body.properties ?? {} });
    }],
    ['GET', /^\/v1\/namespaces\/([^/]+)$/, async (_q, res, [ns]) => {
      const props = await store.loadNamespace(decodeNamespace(ns!));
      if (!props) throw new HttpError(404, 'NoSuchNamespaceException', `Namespace does not exist: ${decodeNamespace(ns!).join('.')}`);
      sendJson(res, 200, { namespace: decodeNamespace(ns!), properties: props });
    }],
    ['HEAD', /^\/v1\/namespaces\/([^/]+)$/, async (_q, res, [ns]) => sendEmpty(res, (await store.loadNamespace(decodeNamespace(ns!))) ? 204 : 404)],
    ['DELETE', /^\/v1\/namespaces\/([^/]+)$/, async (_q, res, [ns]) => {
      let dropped: boolean;
      try {
        dropped = await store.dropNamespace(decodeNamespace(ns!));
      } catch (err) {
        if (err instanceof StoreConflict) throw new HttpError(409, 'NamespaceNotEmptyException', err.message);
        throw err;
      }
      if (!dropped) throw new HttpError(404, 'NoSuchNamespaceException', `Namespace does not exist: ${decodeNamespace(ns!).join('.')}`);
      sendEmpty(res, 204);
    }],
    ['POST', /^\/v1\/namespaces\/([^/]+)\/properties$/, async (req, res, [ns]) => {
      const body = (await readBody(req)) as { updates?: Record<string, string>; removals?: string[] };
      await tables.requireNamespace(decodeNamespace(ns!));
      sendJson(res, 200, await store.updateNamespaceProperties(decodeNamespace(ns!), body.updates ?? {}, body.removals ?? []));
    }],
    ['GET', /^\/v1\/namespaces\/([^/]+)\/tables$/, async (_q, res, [ns]) => {
      const namespace = decodeNamespace(ns!);
      await tables.requireNamespace(namespace);
      sendJson(res, 200, { identifiers: (await store.listTables(namespace)).map((name) => ({ namespace, name })) });
    }],
    ['POST', /^\/v1\/namespaces\/([^/]+)\/tables$/, async (req, res, [ns]) => {
      const body = (await readBody(req)) as unknown as CreateTableRequest;
      if (!body.name || !body.schema) throw new HttpError(400, 'BadRequestException', 'name and schema are required');
      const { location, metadata } = await tables.create(decodeNamespace(ns!), body);
      sendJson(res, 200, loadResult(location, metadata));
    }],
    ['POST', /^\/v1\/namespaces\/([^/]+)\/register$/, async (req, res, [ns]) => {
      const body = (await readBody(req)) as { name: string; 'metadata-location': string };
      const { location, metadata } = await tables.register(decodeNamespace(ns!), body.name, body['metadata-location']);
      sendJson(res, 200, loadResult(location, metadata));
    }],
    ['GET', /^\/v1\/namespaces\/([^/]+)\/tables\/([^/]+)$/, async (_q, res, [ns, t]) => {
      const { location, metadata } = await tables.load(decodeNamespace(ns!), decodeURIComponent(t!));
      sendJson(res, 200, loadResult(location, metadata));
    }],
    ['HEAD', /^\/v1\/namespaces\/([^/]+)\/tables\/([^/]+)$/, async (_q, res, [ns, t]) =>
      sendEmpty(res, (await store.loadTable(decodeNamespace(ns!), decodeURIComponent(t!))) ? 204 : 404)],
    ['POST', /^\/v1\/namespaces\/([^/]+)\/tables\/([^/]+)$/, async (req, res, [ns, t]) => {
      const body = (await readBody(req)) as { requirements?: Requirement[]; updates?: Update[] };
      const { location, metadata } = await tables.commit(decodeNamespace(ns!), decodeURIComponent(t!), body.requirements ?? [], body.updates ?? []);
      sendJson(res, 200, { 'metadata-location': location, metadata });
    }],
    ['DELETE', /^\/v1\/namespaces\/([^/]+)\/tables\/([^/]+)$/, async (_q, res, [ns, t], url) => {
      await tables.drop(decodeNamespace(ns!), decodeURIComponent(t!), url.searchParams.get('purgeRequested') === 'true');
      sendEmpty(res, 204);
    }],
    ['POST', /^\/v1\/namespaces\/([^/]+)\/tables\/([^/]+)\/metrics$/, async (req, res) => {
      await readBody(req);
      sendEmpty(res, 204);
    }],
    ['POST', /^\/v1\/tables\/rename$/, async (req, res) => {
      const body = (await readBody(req)) as { source: { namespace: string[]; name: string }; destination: { namespace: string[]; name: string } };
      await tables.requireNamespace(body.destination.namespace);
      let renamed: boolean;
      try {
        renamed = await store.renameTable({ ns: body.source.namespace, name: body.source.name }, { ns: body.destination.namespace, name: body.destination.name });
      } catch (err) {
        if (err instanceof StoreConflict) throw new HttpError(409, 'AlreadyExistsException', err.message);
        throw err;
      }
      if (!renamed) throw new HttpError(404, 'NoSuchTableException', `Table does not exist: ${body.source.namespace.join('.')}.${body.source.name}`);
      sendEmpty(res, 204);
    }],
  ];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://catalog');
    const method = req.method === 'HEAD' ? 'HEAD' : req.method;
    let pathMatched = false;
    for (const [m, re, handler] of routes) {
      const match = re.exec(url.pathname);
      if (!match) continue;
      pathMatched = true;
      if (m !== method) continue;
      handler(req, res, match.slice(1), url).catch((err: unknown) => {
        const e = toHttpError(err);
        if (e.status >= 500) console.error(`[catalog] ${req.method} ${url.pathname}:`, err);
        if (res.headersSent) return;
        if (req.method === 'HEAD') sendEmpty(res, e.status);
        else sendError(res, e);
      });
      return;
    }
    sendError(res, pathMatched ? new HttpError(405, 'MethodNotAllowed', `${req.method} is not allowed on ${url.pathname}`) : new HttpError(404, 'NotFoundException', `no route for ${req.method} ${url.pathname}`));
  });
  // Idle keep-alive connections stay open longer than clients keep them in their pools
  // (undici: 4 s), so the server never closes one just as a client reuses it.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  return server;
}
