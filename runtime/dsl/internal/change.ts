import type { Serde } from '../../serde/serde.ts';

/**
 * What flows between KTable operators: the new value of a key and the value it
 * replaces (null when the key was absent or is deleted). Aggregations over a table
 * use `oldValue` to subtract what a row contributed before it changed.
 */
export interface Change<V> {
  readonly newValue: V | null;
  readonly oldValue: V | null;
}

const ADD = 0;
const SUBTRACT = 1;

/**
 * The value format of a KTable groupBy repartition topic: every record carries one
 * side of a change, an "add" (new value) or a "subtract" (old value).
 *
 *   byte 0     0 = add (newValue), 1 = subtract (oldValue)
 *   bytes 1..  the value, serialized with the inner serde
 */
export class ChangeSerde<V> implements Serde<Change<V>> {
  constructor(private readonly inner: Serde<V>) {}

  serialize(topic: string, change: Change<V>): Buffer | null {
    const subtract = change.newValue === null;
    const inner = this.inner.serialize(topic, (subtract ? change.oldValue : change.newValue) as V);
    if (inner === null) throw new TypeError(`ChangeSerde on ${topic}: a change must carry a non-null value`);
    const out = Buffer.allocUnsafe(inner.length + 1);
    out[0] = subtract ? SUBTRACT : ADD;
    inner.copy(out, 1);
    return out;
  }

  deserialize(topic: string, data: Buffer | null): Change<V> {
    if (data === null || data.length === 0 || data[0]! > SUBTRACT) throw new TypeError(`ChangeSerde on ${topic}: not a change record`);
    const value = this.inner.deserialize(topic, data.subarray(1));
    return data[0] === ADD ? { newValue: value, oldValue: null } : { newValue: null, oldValue: value };
  }
}
