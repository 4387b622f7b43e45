import avro from 'avsc';
import { Errors } from './errors.ts';
import type { AvroType } from './avro-schema.ts';

/**
 * Compatibility levels, as Confluent defines them:
 * - BACKWARD: the new schema can read data written with the latest one (the default);
 * - FORWARD: the latest schema can read data written with the new one;
 * - FULL: both;
 * - *_TRANSITIVE: the same, against every earlier version instead of only the latest;
 * - NONE: nothing is checked.
 * "Can read" is Avro schema resolution, as avsc implements it (`reader.createResolver(writer)`).
 */
export const LEVELS = ['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE'] as const;
export type CompatibilityLevel = (typeof LEVELS)[number];
export const DEFAULT_LEVEL: CompatibilityLevel = 'BACKWARD';

/** Validates a level given by a user (any case); throws 42203 otherwise. */
export function parseLevel(value: unknown): CompatibilityLevel {
  const upper = typeof value === 'string' ? value.toUpperCase() : undefined;
  if (!upper || !(LEVELS as readonly string[]).includes(upper)) throw Errors.invalidCompatibility(value);
  return upper as CompatibilityLevel;
}

export interface PreviousSchema {
  version: number;
  type: AvroType;
}

/**
 * Why `candidate` may not follow `previous` (oldest first) under `level`: one message per
 * failed check, each naming the offending field. Empty when compatible.
 */
export function compatibilityErrors(candidate: AvroType, previous: PreviousSchema[], level: CompatibilityLevel): string[] {
  if (level === 'NONE' || previous.length === 0) return [];
  const against = level.endsWith('_TRANSITIVE') ? previous : previous.slice(-1);
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  const messages: string[] = [];
  for (const old of against) {
    if (backward) {
      const why = readProblem(candidate, old.type, 'new', 'old');
      if (why) messages.push(`BACKWARD incompatible with version ${old.version}: ${why}`);
    }
    if (forward) {
      const why = readProblem(old.type, candidate, 'old', 'new');
      if (why) messages.push(`FORWARD incompatible with version ${old.version}: ${why}`);
    }
  }
  return messages;
}

/**
 * Undefined when `reader` can read data written with `writer`; otherwise a reason that
 * names the first offending field (found by walking both schemas record by record).
 */
export function readProblem(reader: AvroType, writer: AvroType, readerRole: string, writerRole: string): string | undefined {
  try {
    reader.createResolver(writer);
    return undefined;
  } catch (err) {
    return locate(reader, writer, '', readerRole, writerRole) ?? `the ${readerRole} schema cannot read the ${writerRole} schema: ${(err as Error).message}`;
  }
}

function locate(reader: AvroType, writer: AvroType, path: string, rr: string, wr: string): string | undefined {
  if (reader instanceof avro.types.RecordType && writer instanceof avro.types.RecordType) {
    if (reader.name !== writer.name && !(reader.aliases ?? []).includes(writer.name ?? '')) {
      return `at '${path || '/'}' the ${rr} record ${reader.name} does not match the ${wr} record ${writer.name} (names differ and no alias)`;
    }
    for (const field of reader.fields) {
      const names = [field.name, ...(field.aliases ?? [])];
      const source = writer.fields.find((f) => names.includes(f.name));
      const fieldPath = path ? `${path}.${field.name}` : field.name;
      if (!source) {
        if (field.defaultValue() === undefined) {
          return `field '${fieldPath}' in the ${rr} schema has no default value and is missing in the ${wr} schema`;
        }
        continue;
      }
      try {
        field.type.createResolver(source.type);
      } catch (err) {
        return (
          locate(field.type, source.type, fieldPath, rr, wr) ??
          `field '${fieldPath}': the ${rr} schema's type cannot read the ${wr} schema's type (${(err as Error).message})`
        );
      }
    }
    return undefined;
  }
  if (reader instanceof avro.types.ArrayType && writer instanceof avro.types.ArrayType) {
    return locate(reader.itemsType, writer.itemsType, `${path}[]`, rr, wr);
  }
  if (reader instanceof avro.types.MapType && writer instanceof avro.types.MapType) {
    return locate(reader.valuesType as AvroType, writer.valuesType as AvroType, `${path}{}`, rr, wr);
  }
  return undefined;
}
