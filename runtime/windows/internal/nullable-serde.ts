import type { Serde } from '../../serde/serde.ts';

/*
 * A value that may be null, for buffers that must remember a deletion:
 *
 *   [ 0 ]                 null
 *   [ 1 ][ inner bytes ]  a value
 */
export class NullableSerde<V> implements Serde<V | null> {
  constructor(private readonly inner: Serde<V>) {}

  serialize(topic: string, value: V | null): Buffer {
    if (value === null) return Buffer.from([0]);
    const bytes = this.inner.serialize(topic, value) ?? Buffer.alloc(0);
    return Buffer.concat([Buffer.from([1]), bytes]);
  }

  deserialize(topic: string, data: Buffer | null): V | null {
    if (data === null || data.length === 0 || data[0] === 0) return null;
    return this.inner.deserialize(topic, data.subarray(1));
  }

  prepare(topic: string): Promise<void> {
    return this.inner.prepare?.(topic) ?? Promise.resolve();
  }
}
