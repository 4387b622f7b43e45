import { StreamsError } from '../../errors/streams-error.ts';

/**
 * `SCHEMA_REGISTRY_FAILED`: a call to the schema registry failed. `status` and
 * `errorCode` are the registry's (Confluent's codes: 40403 unknown id, 40901
 * incompatible, ...); a network failure or a 5xx answer is retriable.
 */
export class SchemaRegistryError extends StreamsError {
  override name = 'SchemaRegistryError';
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: number,
    options: { cause?: unknown } = {},
  ) {
    super('SCHEMA_REGISTRY_FAILED', message, { ...options, retriable: status === 0 || status >= 500 });
  }
}

/** One JSON call to a Confluent-compatible registry; a non-2xx answer throws SchemaRegistryError. */
export async function registryCall<T>(baseUrl: string, method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<T> {
  const url = `${baseUrl.replace(/\/+$/, '')}${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', accept: 'application/vnd.schemaregistry.v1+json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new SchemaRegistryError(`schema registry ${method} ${url} failed: ${(err as Error).message}`, 0, 0, { cause: err });
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json ?? {}) as { error_code?: number; message?: string };
    throw new SchemaRegistryError(
      `schema registry ${method} ${path}: ${res.status} ${e.message ?? text.slice(0, 200)}`,
      res.status,
      e.error_code ?? res.status,
    );
  }
  return json as T;
}
