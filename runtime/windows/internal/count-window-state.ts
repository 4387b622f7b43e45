import type { Serde } from '../../serde/serde.ts';

/** The open count window of one key: its number, records so far and aggregate. */
export interface CountWindowState<VA> {
  readonly index: number;
  readonly count: number;
  readonly aggregate: VA;
}

/* [ window index : 8, big-endian ][ count : 4 ][ aggregate bytes ] */
export class CountWindowStateSerde<VA> implements Serde<CountWindowState<VA>> {
  constructor(private readonly inner: Serde<VA>) {}

  serialize(topic: string, s: CountWindowState<VA>): Buffer {
    const head = Buffer.allocUnsafe(12);
    head.writeBigUInt64BE(BigInt(s.index));
    head.writeUInt32BE(s.count, 8);
    return Buffer.concat([head, this.inner.serialize(topic, s.aggregate) ?? Buffer.alloc(0)]);
  }

  deserialize(topic: string, data: Buffer | null): CountWindowState<VA> {
    if (data === null || data.length < 12)
      throw new TypeError(`count window state on ${topic}: need at least 12 bytes`);
    return {
      index: Number(data.readBigUInt64BE(0)),
      count: data.readUInt32BE(8),
      aggregate: this.inner.deserialize(topic, data.subarray(12)),
    };
  }

  prepare(topic: string): Promise<void> {
    return this.inner.prepare?.(topic) ?? Promise.resolve();
  }
}
