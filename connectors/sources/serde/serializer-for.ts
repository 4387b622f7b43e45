import type { PlatformConfig } from '../../../deploy/config.ts';
import { AvroRegistrySerializer } from './avro-registry-serializer.ts';
import type { EventSerializer } from './event-serializer.ts';
import { JsonEventSerializer } from './json-serializer.ts';

/** The serializer for a `--format` option: json, or avro through the configured registry. */
export function serializerFor(format: string, config: PlatformConfig): EventSerializer {
  if (format === 'json') return new JsonEventSerializer();
  if (format === 'avro') return new AvroRegistrySerializer(config.registry.url);
  throw new RangeError(`--format: "${format}" is not json or avro`);
}
