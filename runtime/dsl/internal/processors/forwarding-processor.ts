import type { Processor, ProcessorContext } from '../../../processor/processor.ts';
import type { StreamRecord } from '../../../processor/record.ts';

/** Base of the DSL processors: keeps the context that `init` gives. */
export abstract class ForwardingProcessor<KIn, VIn, KOut, VOut> implements Processor<KIn, VIn, KOut, VOut> {
  protected context!: ProcessorContext<KOut, VOut>;

  init(context: ProcessorContext<KOut, VOut>): void {
    this.context = context;
  }

  abstract process(record: StreamRecord<KIn, VIn>): void;
}
