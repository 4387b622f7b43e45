import type { Serde } from './serde.ts';

/** UTF-8 text. `null` passes through both ways (a Kafka tombstone or a null key). */
export class StringSerde implements Serde<string> {
  serialize(_topic: string, value: string): Buffer | null {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'string') throw new TypeError(`StringSerde expects a string, got ${typeof value}`);
    return Buffer.from(value, 'utf8');
  }

  deserialize(_topic: string, data: Buffer | null): string {
    return (data === null ? null : data.toString('utf8')) as string;
  }
}
