/** The schema registry's public surface: the server, its errors and its compatibility rules. */
export { startRegistryServer, DEFAULT_TOPIC, type RegistryServerOptions, type RunningRegistry } from './server.ts';
export { RegistryError } from './errors.ts';
export { LEVELS, DEFAULT_LEVEL, compatibilityErrors, parseLevel, type CompatibilityLevel } from './compatibility.ts';
export { parseAvro, type ParsedAvro } from './avro-schema.ts';
export type { SchemaReference } from './internal/log-records.ts';
