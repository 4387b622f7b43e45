import type { Serde } from './serde.ts';

/** Raw bytes, unchanged. */
export class BytesSerde implements Serde<Buffer> {
  serialize(_topic: string, value: Buffer): Buffer | null {
    return value ?? null;
  }

  deserialize(_topic: string, data: Buffer | null): Buffer {
    return data as Buffer;
  }
}
