import type { Serde } from '../../../serde/serde.ts';

/** What a left row asks of the right side: start or stop joining with foreign key `key`. */
export interface Subscription<KL> {
  readonly subscribe: boolean;
  /** Hash of the left row that subscribed: a response for an older row is dropped as stale. */
  readonly hash: number;
  readonly leftKey: KL;
}

/** The right row for a subscriber (null: no right row), tagged with the subscriber's hash. */
export interface SubscriptionResponse<VR> {
  readonly hash: number;
  readonly value: VR | null;
}

/* Subscription:  [ 0 = unsubscribe | 1 = subscribe : 1 ][ hash : 4 ][ left key bytes ] */
export class SubscriptionSerde<KL> implements Serde<Subscription<KL>> {
  constructor(private readonly leftKeySerde: Serde<KL>) {}

  serialize(topic: string, s: Subscription<KL>): Buffer {
    const head = Buffer.allocUnsafe(5);
    head[0] = s.subscribe ? 1 : 0;
    head.writeUInt32BE(s.hash >>> 0, 1);
    return Buffer.concat([head, this.leftKeySerde.serialize(topic, s.leftKey) ?? Buffer.alloc(0)]);
  }

  deserialize(topic: string, data: Buffer | null): Subscription<KL> {
    if (data === null || data.length < 5) throw new TypeError(`subscription on ${topic}: need at least 5 bytes`);
    return {
      subscribe: data[0] === 1,
      hash: data.readUInt32BE(1),
      leftKey: this.leftKeySerde.deserialize(topic, data.subarray(5)),
    };
  }
}

/* Response:  [ hash : 4 ][ 0 = no right row | 1 = right row : 1 ][ right value bytes ] */
export class ResponseSerde<VR> implements Serde<SubscriptionResponse<VR>> {
  constructor(private readonly valueSerde: Serde<VR>) {}

  serialize(topic: string, r: SubscriptionResponse<VR>): Buffer {
    const head = Buffer.allocUnsafe(5);
    head.writeUInt32BE(r.hash >>> 0, 0);
    head[4] = r.value === null ? 0 : 1;
    return r.value === null
      ? head
      : Buffer.concat([head, this.valueSerde.serialize(topic, r.value) ?? Buffer.alloc(0)]);
  }

  deserialize(topic: string, data: Buffer | null): SubscriptionResponse<VR> {
    if (data === null || data.length < 5)
      throw new TypeError(`subscription response on ${topic}: need at least 5 bytes`);
    return {
      hash: data.readUInt32BE(0),
      value: data[4] === 0 ? null : this.valueSerde.deserialize(topic, data.subarray(5)),
    };
  }
}

/** FNV-1a (32 bit) of the row's JSON: tells a response for the current left row from a stale one. */
export function rowHash(value: unknown): number {
  const text = JSON.stringify(value) ?? '';
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
