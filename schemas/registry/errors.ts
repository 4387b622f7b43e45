/**
 * Errors of the schema registry, with Confluent's HTTP statuses and error codes
 * (io.confluent.kafka.schemaregistry.rest.exceptions.Errors). The HTTP layer turns a
 * RegistryError into `{"error_code": N, "message": "..."}` with `status`.
 */
export class RegistryError extends Error {
  override name = 'RegistryError';
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const LEVELS_HINT =
  'Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive';

export const Errors = {
  subjectNotFound: (s: string) => new RegistryError(404, 40401, `Subject '${s}' not found.`),
  versionNotFound: (v: number | string) => new RegistryError(404, 40402, `Version ${v} not found.`),
  schemaNotFound: (id?: number) => new RegistryError(404, 40403, id === undefined ? 'Schema not found' : `Schema ${id} not found`),
  subjectSoftDeleted: (s: string) =>
    new RegistryError(404, 40404, `Subject '${s}' was soft deleted.Set permanent=true to delete permanently`),
  subjectNotSoftDeleted: (s: string) =>
    new RegistryError(404, 40405, `Subject '${s}' was not deleted first before being permanently deleted`),
  versionSoftDeleted: (s: string, v: number) =>
    new RegistryError(404, 40406, `Subject '${s}' Version ${v} was soft deleted.Set permanent=true to delete permanently`),
  versionNotSoftDeleted: (s: string, v: number) =>
    new RegistryError(404, 40407, `Subject '${s}' Version ${v} was not deleted first before being permanently deleted`),
  subjectConfigNotFound: (s: string) =>
    new RegistryError(404, 40408, `Subject '${s}' does not have subject-level compatibility configured`),
  incompatible: (message: string) => new RegistryError(409, 40901, message),
  invalidSchema: (message: string) => new RegistryError(422, 42201, message),
  invalidVersion: (v: string) =>
    new RegistryError(
      422,
      42202,
      `The specified version '${v}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
    ),
  invalidCompatibility: (level: unknown) =>
    new RegistryError(422, 42203, `Invalid compatibility level ${JSON.stringify(level)}. ${LEVELS_HINT}`),
  referenceExists: (message: string) => new RegistryError(422, 42206, message),
  invalidSubject: (s: string) => new RegistryError(422, 42208, `The specified subject '${s}' is not a valid.`),
  store: (message: string) => new RegistryError(500, 50001, message),
  timeout: (message: string) => new RegistryError(500, 50002, message),
  badRequest: (message: string) => new RegistryError(400, 400, message),
  routeNotFound: (path: string) => new RegistryError(404, 404, `HTTP 404 Not Found: ${path}`),
  methodNotAllowed: (method: string, path: string) => new RegistryError(405, 405, `HTTP 405 Method Not Allowed: ${method} ${path}`),
};
