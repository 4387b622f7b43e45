import { CommitFailedError, IcebergError } from '../errors.ts';
import { parseJson, stringifyJson } from '../internal/lossless-json.ts';
import type { TableMetadata } from '../metadata/table-metadata.ts';
import type { Requirement, Update } from '../metadata/updates.ts';
import type { CreateTableRequest } from '../catalog/table-service.ts';

/** Tries of a GET or HEAD that failed before an answer (see RestCatalogClient.send). */
const SAFE_ATTEMPTS = 3;
const isTimeout = (err: unknown) => err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');

export interface LoadedTable {
  metadataLocation: string;
  metadata: TableMetadata;
}

/**
 * A client of an Iceberg REST catalog (ours, or any other). Errors: 409 on a commit
 * is CommitFailedError; 404 is NO_SUCH_TABLE / NO_SUCH_NAMESPACE; an unreachable
 * catalog or a 5xx answer is a retriable CATALOG_UNAVAILABLE.
 */
export class RestCatalogClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 30_000,
  ) {}

  private ns(ns: string[]): string {
    return encodeURIComponent(ns.join('\u001f'));
  }

  private async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await this.send(method, path, body);
    const text = await res.text();
    const json = text ? parseJson<Record<string, unknown>>(text) : {};
    if (res.status >= 500) {
      const e = json.error as { message?: string; type?: string } | undefined;
      throw new IcebergError(e?.type === 'ServiceUnavailableException' ? 'STORE_UNAVAILABLE' : 'CATALOG_UNAVAILABLE', `catalog ${method} ${path}: ${res.status} ${e?.message ?? text}`, { retriable: true });
    }
    return { status: res.status, json };
  }

  /**
   * One HTTP request. A GET or HEAD that fails before any answer (typically a pooled
   * keep-alive connection the server closed just as it was reused: ECONNRESET) is sent again
   * on a fresh connection, up to SAFE_ATTEMPTS times; such requests change nothing, so a
   * repeat is harmless. Other methods are not repeated here: a commit may have been applied,
   * and the caller (the sink's retry with backoff) decides after reloading the table.
   */
  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const attempts = method === 'GET' || method === 'HEAD' ? SAFE_ATTEMPTS : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetch(`${this.baseUrl.replace(/\/+$/, '')}/v1/${path}`, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: stringifyJson(body) }),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (err) {
        if (attempt < attempts && !isTimeout(err)) continue;
        throw new IcebergError('CATALOG_UNAVAILABLE', `catalog ${this.baseUrl} is unreachable: ${(err as Error).message}`, { cause: err, retriable: true });
      }
    }
  }

  private fail(what: string, r: { status: number; json: Record<string, unknown> }): never {
    const e = (r.json.error ?? {}) as { message?: string; type?: string };
    const msg = `${what}: ${r.status} ${e.type ?? ''} ${e.message ?? ''}`.trim();
    if (r.status === 409 && e.type === 'CommitFailedException') throw new CommitFailedError(msg);
    if (r.status === 409) throw new IcebergError('ALREADY_EXISTS', msg);
    if (r.status === 404) throw new IcebergError(e.type === 'NoSuchNamespaceException' ? 'NO_SUCH_NAMESPACE' : 'NO_SUCH_TABLE', msg);
    throw new IcebergError('BAD_REQUEST', msg);
  }

  /** Creates the namespace unless it exists. */
  async ensureNamespace(ns: string[], properties: Record<string, string> = {}): Promise<void> {
    const r = await this.call('POST', 'namespaces', { namespace: ns, properties });
    if (r.status !== 200 && r.status !== 409) this.fail(`create namespace ${ns.join('.')}`, r);
  }

  async dropNamespace(ns: string[]): Promise<void> {
    const r = await this.call('DELETE', `namespaces/${this.ns(ns)}`);
    if (r.status !== 204 && r.status !== 404) this.fail(`drop namespace ${ns.join('.')}`, r);
  }

  async listTables(ns: string[]): Promise<string[]> {
    const r = await this.call('GET', `namespaces/${this.ns(ns)}/tables`);
    if (r.status !== 200) this.fail(`list tables ${ns.join('.')}`, r);
    return (r.json.identifiers as { name: string }[]).map((i) => i.name);
  }

  /** The table, or undefined when it does not exist. */
  async loadTable(ns: string[], name: string): Promise<LoadedTable | undefined> {
    const r = await this.call('GET', `namespaces/${this.ns(ns)}/tables/${encodeURIComponent(name)}`);
    if (r.status === 404) return undefined;
    if (r.status !== 200) this.fail(`load table ${name}`, r);
    return { metadataLocation: r.json['metadata-location'] as string, metadata: r.json.metadata as TableMetadata };
  }

  async createTable(ns: string[], req: CreateTableRequest): Promise<LoadedTable> {
    const r = await this.call('POST', `namespaces/${this.ns(ns)}/tables`, req);
    if (r.status !== 200) this.fail(`create table ${ns.join('.')}.${req.name}`, r);
    return { metadataLocation: r.json['metadata-location'] as string, metadata: r.json.metadata as TableMetadata };
  }

  async commit(ns: string[], name: string, requirements: Requirement[], updates: Update[]): Promise<LoadedTable> {
    const r = await this.call('POST', `namespaces/${this.ns(ns)}/tables/${encodeURIComponent(name)}`, {
      identifier: { namespace: ns, name },
      requirements,
      updates,
    });
    if (r.status !== 200) this.fail(`commit ${ns.join('.')}.${name}`, r);
    return { metadataLocation: r.json['metadata-location'] as string, metadata: r.json.metadata as TableMetadata };
  }

  async dropTable(ns: string[], name: string, purge = true): Promise<void> {
    const r = await this.call('DELETE', `namespaces/${this.ns(ns)}/tables/${encodeURIComponent(name)}?purgeRequested=${purge}`);
    if (r.status !== 204 && r.status !== 404) this.fail(`drop table ${name}`, r);
  }
}
