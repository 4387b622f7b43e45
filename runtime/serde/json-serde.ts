import type { Serde } from './serde.ts';

/**
 * JSON as UTF-8 text. `null` passes through both ways. Deserializing bytes that are not
 * JSON throws a SyntaxError, which the task hands to the deserialization handler.
 */
export class JsonSerde<T> implements Serde<T> {
  serialize(_topic: string, value: T): Buffer | null {
    if (value === null || value === undefined) return null;
    return Buffer.from(JSON.stringify(value), 'utf8');
  }

  deserialize(_topic: string, data: Buffer | null): T {
    return (data === null ? null : JSON.parse(data.toString('utf8'))) as T;
  }
}
