import type { IncomingMessage, ServerResponse } from 'node:http';
import { IcebergError } from '../../errors.ts';
import { parseJson, stringifyJson } from '../../internal/lossless-json.ts';

/** An error answer of the REST spec: `{ "error": { message, type, code } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const BY_CODE: Record<string, [number, string]> = {
  NO_SUCH_NAMESPACE: [404, 'NoSuchNamespaceException'],
  NO_SUCH_TABLE: [404, 'NoSuchTableException'],
  ALREADY_EXISTS: [409, 'AlreadyExistsException'],
  COMMIT_FAILED: [409, 'CommitFailedException'],
  NAMESPACE_NOT_EMPTY: [409, 'NamespaceNotEmptyException'],
  BAD_REQUEST: [400, 'BadRequestException'],
  BAD_SCHEMA: [400, 'BadRequestException'],
  BAD_PARTITION: [400, 'BadRequestException'],
  STORE_UNAVAILABLE: [503, 'ServiceUnavailableException'],
};

export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof IcebergError) {
    const [status, type] = BY_CODE[err.code] ?? [500, 'ServerErrorException'];
    return new HttpError(status, type, err.message);
  }
  return new HttpError(500, 'ServerErrorException', (err as Error).message ?? String(err));
}

export async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return parseJson<Record<string, unknown>>(text);
  } catch {
    throw new HttpError(400, 'BadRequestException', 'request body is not valid JSON');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = stringifyJson(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

export function sendError(res: ServerResponse, err: HttpError): void {
  sendJson(res, err.status, { error: { message: err.message, type: err.type, code: err.status } });
}

/** A namespace path segment: levels joined by the unit separator (0x1F), URL-encoded. */
export function decodeNamespace(segment: string): string[] {
  return decodeURIComponent(segment).split('\u001f');
}
