import type { IncomingMessage, ServerResponse } from 'node:http';
import { Errors, RegistryError } from '../errors.ts';
import type { SchemaReference, SchemaValue } from './log-records.ts';
import { parseVersion } from './registry-queries.ts';
import type { RegistryService } from './registry-service.ts';
import type { SchemaRequest } from './schema-resolver.ts';

export const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const MAX_BODY = 4 * 1024 * 1024;

interface Call {
  method: string;
  parts: string[];
  query: URLSearchParams;
  body: () => Promise<Record<string, unknown>>;
}

/** Confluent's REST API over a RegistryService. Errors become `{error_code, message}`. */
export function httpHandler(service: RegistryService): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    let call: Call;
    try {
      const url = new URL(req.url ?? '/', 'http://registry');
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      call = { method: req.method ?? 'GET', parts, query: url.searchParams, body: () => readJson(req) };
    } catch (err) {
      return send(res, 400, { error_code: 400, message: `Malformed request path: ${(err as Error).message}` });
    }
    route(service, call).then(
      (result) => send(res, 200, result),
      (err: unknown) => {
        if (err instanceof RegistryError) return send(res, err.status, { error_code: err.errorCode, message: err.message });
        console.error('[registry]', err);
        send(res, 500, { error_code: 50001, message: `Error in the backend data store: ${(err as Error).message}` });
      },
    );
  };
}

async function route(s: RegistryService, c: Call): Promise<unknown> {
  const [head, a, b, cc, d] = c.parts;
  const flag = (name: string) => c.query.get(name) === 'true';
  const m = c.method;
  const n = c.parts.length;
  if (n === 0) return {};
  if (head === 'subjects') {
    if (n === 1 && m === 'GET') return s.read((q) => q.subjects(flag('deleted'), c.query.get('subjectPrefix') ?? ''));
    const subject = a!;
    if (n === 2 && m === 'POST') return view(await s.lookup(subject, await schemaRequest(c), flag('deleted')));
    if (n === 2 && m === 'DELETE') return s.deleteSubject(subject, flag('permanent'));
    if (b === 'versions') {
      if (n === 3 && m === 'GET') return s.read((q) => q.versions(subject, flag('deleted')));
      if (n === 3 && m === 'POST') return { id: (await s.register(subject, await schemaRequest(c))).id };
      const version = n >= 4 && n <= 5 ? parseVersion(cc!) : 'latest';
      if (n === 4 && m === 'GET') return view(await s.read((q) => q.version(subject, version, flag('deleted'))));
      if (n === 4 && m === 'DELETE') return s.deleteVersion(subject, version, flag('permanent'));
      if (n === 5 && m === 'GET' && d === 'schema') return rawSchema((await s.read((q) => q.version(subject, version, flag('deleted')))).schema);
      if (n === 5 && m === 'GET' && d === 'referencedby') return s.read((q) => q.referencedBy(subject, version));
    }
  }
  if (head === 'schemas') {
    if (n === 1 && m === 'GET') {
      const list = await s.read((q) => q.schemas(c.query.get('subjectPrefix') ?? '', flag('deleted'), flag('latestOnly')));
      return list.map(view);
    }
    if (n === 2 && a === 'types' && m === 'GET') return ['AVRO'];
    if (a === 'ids' && m === 'GET' && (n === 3 || n === 4)) {
      const id = Number(b);
      if (!Number.isInteger(id) || id < 0) throw Errors.schemaNotFound();
      if (n === 3) return byIdView(await s.readStable((q) => q.byId(id)));
      if (cc === 'schema') return rawSchema((await s.readStable((q) => q.byId(id))).schema);
      if (cc === 'versions') return s.read((q) => q.idVersions(id, flag('deleted')));
      if (cc === 'subjects') return s.read((q) => q.idSubjects(id, flag('deleted')));
    }
  }
  if (head === 'config' && n <= 2) {
    const subject = n === 2 ? a! : null;
    if (m === 'GET') return { compatibilityLevel: await s.read((q) => q.config(subject, flag('defaultToGlobal'))) };
    if (m === 'PUT') return { compatibility: await s.setConfig(subject, (await c.body()).compatibility) };
    if (m === 'DELETE') return { compatibilityLevel: await s.deleteConfig(subject) };
  }
  if (head === 'mode' && n <= 2 && m === 'GET') return { mode: 'READWRITE' };
  if (head === 'compatibility' && a === 'subjects' && cc === 'versions' && (n === 4 || n === 5) && m === 'POST') {
    const spec = n === 5 ? parseVersion(d!) : undefined;
    const messages = await s.testCompatibility(b!, spec, await schemaRequest(c));
    return { is_compatible: messages.length === 0, ...(flag('verbose') ? { messages } : {}) };
  }
  const known = ['subjects', 'schemas', 'config', 'compatibility', 'mode'].includes(head!);
  throw known && n <= 5 ? Errors.methodNotAllowed(m, `/${c.parts.join('/')}`) : Errors.routeNotFound(`/${c.parts.join('/')}`);
}

/** The shape of GET /subjects/{s}/versions/{v} and of a lookup. */
function view(v: SchemaValue): Record<string, unknown> {
  return {
    subject: v.subject,
    version: v.version,
    id: v.id,
    ...(v.schemaType ? { schemaType: v.schemaType } : {}),
    ...(v.references ? { references: v.references } : {}),
    schema: v.schema,
    ...(v.deleted ? { deleted: true } : {}),
  };
}

function byIdView(v: SchemaValue): Record<string, unknown> {
  return { ...(v.schemaType ? { schemaType: v.schemaType } : {}), ...(v.references ? { references: v.references } : {}), schema: v.schema };
}

/** `/schema` routes answer the schema itself as JSON, not a string holding it. */
function rawSchema(text: string): unknown {
  return JSON.parse(text) as unknown;
}

async function schemaRequest(c: Call): Promise<SchemaRequest> {
  const body = await c.body();
  if (body.schema === undefined || body.schema === null) throw Errors.invalidSchema('Empty schema');
  const schema = typeof body.schema === 'string' ? body.schema : JSON.stringify(body.schema);
  if (body.references !== undefined && !Array.isArray(body.references)) throw Errors.invalidSchema('"references" must be a list');
  return {
    schema,
    ...(typeof body.schemaType === 'string' ? { schemaType: body.schemaType.toUpperCase() } : {}),
    ...(Array.isArray(body.references) ? { references: body.references as SchemaReference[] } : {}),
  };
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(Errors.badRequest(`Request body larger than ${MAX_BODY} bytes`));
      else chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({});
      try {
        const parsed = JSON.parse(text) as unknown;
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object');
        resolve(parsed as Record<string, unknown>);
      } catch (err) {
        reject(Errors.badRequest(`Malformed JSON body: ${(err as Error).message}`));
      }
    });
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
