import type { Serde } from './serde.ts';

const TWO_POW_32 = 4294967296;

/**
 * A JS number as Kafka's LongSerde writes it: 8 bytes, signed 64-bit big-endian two's
 * complement. Only safe integers (|n| < 2^53) are accepted, so that every value read
 * back equals the one written; anything else is an error, never a silent rounding.
 *
 * Layout: bytes 0-3 = high 32 bits (signed), bytes 4-7 = low 32 bits (unsigned).
 */
export class LongSerde implements Serde<number> {
  serialize(_topic: string, value: number): Buffer | null {
    if (value === null || value === undefined) return null;
    if (!Number.isSafeInteger(value)) throw new RangeError(`LongSerde expects a safe integer, got ${String(value)}`);
    const out = Buffer.allocUnsafe(8);
    const high = Math.floor(value / TWO_POW_32);
    out.writeInt32BE(high, 0);
    out.writeUInt32BE(value - high * TWO_POW_32, 4);
    return out;
  }

  deserialize(_topic: string, data: Buffer | null): number {
    if (data === null) return null as unknown as number;
    if (data.length !== 8) throw new RangeError(`LongSerde expects 8 bytes, got ${data.length}`);
    const value = data.readInt32BE(0) * TWO_POW_32 + data.readUInt32BE(4);
    if (!Number.isSafeInteger(value)) throw new RangeError(`long ${data.readBigInt64BE(0)} does not fit a safe JS integer`);
    return value;
  }
}

/** A JS number as Kafka's DoubleSerde writes it: IEEE-754 binary64, big-endian. */
export class DoubleSerde implements Serde<number> {
  serialize(_topic: string, value: number): Buffer | null {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'number') throw new TypeError(`DoubleSerde expects a number, got ${typeof value}`);
    const out = Buffer.allocUnsafe(8);
    out.writeDoubleBE(value, 0);
    return out;
  }

  deserialize(_topic: string, data: Buffer | null): number {
    if (data === null) return null as unknown as number;
    if (data.length !== 8) throw new RangeError(`DoubleSerde expects 8 bytes, got ${data.length}`);
    return data.readDoubleBE(0);
  }
}
