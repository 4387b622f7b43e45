import type { Serde } from '../../serde/serde.ts';

/** Records of one key and timestamp that have not found a join partner yet, per side. */
export interface UnmatchedGroup<L, R> {
  left: L[];
  right: R[];
}

/*
 * Layout:
 *
 *   [ left count : 4 ][ ( length : 4 )( left value bytes ) ]*
 *   [ right count : 4 ][ ( length : 4 )( right value bytes ) ]*
 */
export class UnmatchedSerde<L, R> implements Serde<UnmatchedGroup<L, R>> {
  constructor(
    private readonly leftSerde: Serde<L>,
    private readonly rightSerde: Serde<R>,
  ) {}

  serialize(topic: string, group: UnmatchedGroup<L, R>): Buffer {
    const parts: Buffer[] = [];
    const side = <T>(values: T[], serde: Serde<T>): void => {
      parts.push(u32(values.length));
      for (const v of values) {
        const bytes = serde.serialize(topic, v) ?? Buffer.alloc(0);
        parts.push(u32(bytes.length), bytes);
      }
    };
    side(group.left, this.leftSerde);
    side(group.right, this.rightSerde);
    return Buffer.concat(parts);
  }

  deserialize(topic: string, data: Buffer | null): UnmatchedGroup<L, R> {
    const group: UnmatchedGroup<L, R> = { left: [], right: [] };
    if (data === null) return group;
    let at = 0;
    const side = <T>(serde: Serde<T>, out: T[]): void => {
      const n = data.readUInt32BE(at);
      at += 4;
      for (let i = 0; i < n; i++) {
        const len = data.readUInt32BE(at);
        out.push(serde.deserialize(topic, data.subarray(at + 4, at + 4 + len)));
        at += 4 + len;
      }
    };
    side(this.leftSerde, group.left);
    side(this.rightSerde, group.right);
    return group;
  }
}

function u32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n);
  return b;
}
