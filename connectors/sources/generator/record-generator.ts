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
  private readonly kinds: ReadonlySet<GeneratedKind>;
  private buffer: FaultedRecord[] = [];
  private index = 0;

  constructor(options: GeneratorOptions) {
    if (options.kinds.length === 0) throw new RangeError('generator: no kinds to emit');
    this.kinds = new Set(options.kinds);
    this.simulation = new Simulation({ ...options, rateOf: options.kinds[0] });
    this.faults = new FaultInjector(new Prng(options.seed, 'faults'), { ...NO_FAULTS, ...options.faults });
  }

  next(): FaultedRecord {
    while (this.index >= this.buffer.length) {
      const record = this.simulation.next();
      if (!this.kinds.has(record.kind)) continue;
      this.buffer = this.faults.apply(record);
      this.index = 0;
    }
    return this.buffer[this.index++] as FaultedRecord;
  }

  /** The next `n` records. */
  take(n: number): FaultedRecord[] {
    return Array.from({ length: n }, () => this.next());
  }
}
