import type { TopicSpec } from '../../../topologies/topics.ts';
import type { MalformedKind } from '../generator/faults.ts';
import { garbageBytes, type EventSerializer } from './event-serializer.ts';

/**
 * UTF-8 JSON values: field names and types as in the Avro schema, decimals as strings,
 * bytes as base64 strings. No registry needed; used by default until one is configured.
 */
export class JsonEventSerializer implements EventSerializer {
  readonly format = 'json' as const;

  async prepare(): Promise<void> {}

  serialize(topic: TopicSpec, value: unknown): Buffer {
    // A replacer function makes JSON.stringify several times slower: only schemas with
    // bytes fields need one.
    return Buffer.from(HAS_BYTES.has(topic.schema) ? JSON.stringify(value, bytesAsBase64) : JSON.stringify(value));
  }

  malformed(topic: TopicSpec, value: unknown, kind: MalformedKind, noise: () => number): Buffer {
    switch (kind) {
      case 'truncated': {
        const full = this.serialize(topic, value);
        return full.subarray(0, Math.max(1, Math.floor(full.length / 2)));
      }
      case 'garbage':
        return garbageBytes(noise);
      case 'missing-field': {
        const { event_id: _dropped, ...rest } = value as Record<string, unknown>;
        return this.serialize(topic, rest);
      }
      case 'bad-value':
        return this.serialize(topic, { ...(value as object), event_time: 'yesterday-ish', event_type: 'clik' });
    }
  }

  headers(): Record<string, string> {
    return {};
  }
}

/** Schemas with a bytes field (checked by the unit test against the .avsc files). */
export const HAS_BYTES: ReadonlySet<string> = new Set(['dlq-envelope']);

function bytesAsBase64(this: Record<string, unknown>, key: string, v: unknown): unknown {
  const original = this[key];
  return Buffer.isBuffer(original) ? original.toString('base64') : v;
}
