import { NO_FAULTS, FaultInjector, type FaultOptions, type FaultedRecord } from './faults.ts';
import { Prng } from './prng.ts';
import { Simulation, type SimulationOptions } from './simulation.ts';

export type GeneratedKind = 'clickstream' | 'sales';

export interface GeneratorOptions extends Omit<SimulationOptions, 'rateOf'> {
  /** The kinds of record to emit; the rate counts the first one. */
  kinds: readonly GeneratedKind[];
  faults?: Partial<FaultOptions>;
}

/**
 * The public face of the generator: the simulation's records of the asked kinds, with
 * faults applied. Deterministic given the options: `next()` returns the same sequence for
 * the same seed, start time, rate and fault settings.
 */
export class RecordGenerator {
  readonly simulation: Simulation;
  private readonly faults: FaultInjector;
  private readonly clickstream: boolean;
  private readonly sales: boolean;
  private readonly buffer: FaultedRecord[] = [];
  private index = 0;

  constructor(options: GeneratorOptions) {
    if (options.kinds.length === 0) throw new RangeError('generator: no kinds to emit');
    this.clickstream = options.kinds.includes('clickstream');
    this.sales = options.kinds.includes('sales');
    this.simulation = new Simulation({ ...options, rateOf: options.kinds[0] });
    this.faults = new FaultInjector(new Prng(options.seed, 'faults'), { ...NO_FAULTS, ...options.faults });
  }

  next(): FaultedRecord {
    while (this.index >= this.buffer.length) {
      const record = this.simulation.next();
      if (!(record.kind === 'clickstream' ? this.clickstream : this.sales)) continue;
      this.buffer.length = 0;
      this.index = 0;
      this.faults.apply(record, this.buffer);
    }
    return this.buffer[this.index++] as FaultedRecord;
  }

  /** The next `n` records. */
  take(n: number): FaultedRecord[] {
    return Array.from({ length: n }, () => this.next());
  }
}
