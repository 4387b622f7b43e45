import { NullKeyError } from '../../../errors/runtime-errors.ts';
import type { ProcessorContext } from '../../../processor/processor.ts';
import type { StreamRecord } from '../../../processor/record.ts';
import type { JoinType } from '../../joined.ts';
import type { Change } from '../change.ts';
import { joinValues } from '../joins/join-values.ts';
import type { ValueGetter, ValueGetterSupplier } from '../value-getter.ts';
import { ForwardingProcessor } from './forwarding-processor.ts';

/**
 * One side of a table-table join (there is one processor per side). A change of this
 * side's row is joined with the other side's current row: the new joined value from the
 * new row, the old joined value from the old row; nothing is forwarded when both are
 * null. Which rows yield a joined value depends on the join type (see joinValues).
 */
export class TableTableJoinProcessor<K, L, R, VR> extends ForwardingProcessor<K, Change<unknown>, K, Change<VR>> {
  private getter!: ValueGetter<K, unknown>;

  constructor(
    private readonly other: ValueGetterSupplier<K, unknown>,
    private readonly type: JoinType,
    private readonly joiner: (left: L | null, right: R | null, key: K) => VR,
    private readonly thisIsLeft: boolean,
  ) {
    super();
  }

  override init(context: ProcessorContext<K, Change<VR>>): void {
    super.init(context);
    this.getter = this.other.get();
    this.getter.init(context as ProcessorContext<unknown, unknown>);
  }

  process(record: StreamRecord<K, Change<unknown>>): void {
    const key = record.key;
    if (key === null || key === undefined)
      throw new NullKeyError(`table join ${this.context.processorName} got a row without a key`);
    const other = this.getter.get(key);
    const join = (own: unknown): VR | null => {
      const [l, r] = this.thisIsLeft ? [own as L | null, other as R | null] : [other as L | null, own as R | null];
      return joinValues<L, R, VR>(this.type, l, r, (a, b) => this.joiner(a, b, key));
    };
    const newValue = join(record.value.newValue);
    const oldValue = join(record.value.oldValue);
    if (newValue === null && oldValue === null) return;
    this.context.forward({ key, value: { newValue, oldValue }, timestamp: record.timestamp, headers: record.headers });
  }
}
