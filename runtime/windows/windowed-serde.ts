import { SerdeError } from '../errors/runtime-errors.ts';
import type { Serde } from '../serde/serde.ts';
import type { Windowed } from './window.ts';

/*
 * Layout of a windowed key:
 *
 *   [ inner key bytes : n ][ window start : 8, signed big-endian ms ][ window end : 8, signed big-endian ms ]
 *
 * The inner key has no length prefix: n = total length − 16.
 */
export class WindowedSerde<K> implements Serde<Windowed<K>> {
  constructor(readonly inner: Serde<K>) {}

  serialize(topic: string, value: Windowed<K>): Buffer | null {
    const key = this.inner.serialize(topic, value.key);
    if (key === null)
      throw new SerdeError('SERIALIZATION_FAILED', `windowed key on ${topic}: the key serialized to null`);
    const out = Buffer.allocUnsafe(key.length + 16);
    key.copy(out, 0);
    out.writeBigInt64BE(BigInt(value.window.start), key.length);
    out.writeBigInt64BE(BigInt(value.window.end), key.length + 8);
    return out;
  }

  deserialize(topic: string, data: Buffer | null): Windowed<K> {
    if (data === null || data.length < 16)
      throw new SerdeError('DESERIALIZATION_FAILED', `windowed key on ${topic}: need at least 16 bytes`);
    const n = data.length - 16;
    return {
      key: this.inner.deserialize(topic, data.subarray(0, n)),
      window: { start: Number(data.readBigInt64BE(n)), end: Number(data.readBigInt64BE(n + 8)) },
    };
  }

  prepare(topic: string): Promise<void> {
    return this.inner.prepare?.(topic) ?? Promise.resolve();
  }
}
