import { NO_FAULTS, FaultInjector, type FaultOptions, type FaultedRecord } from './faults.ts';
import { Prng } from './prng.ts';
import { Simulation, type SimulationOptions } from './simulation.ts';

import type { SimKind } from './session.ts';

/** clickstream, sales, customers (profiles), campaigns (spend) or products (the catalog). */
export type GeneratedKind = SimKind;

export interface GeneratorOptions extends Omit<SimulationOptions, 'rateOf'> {
  /** The kinds of record to emit; the rate counts the first of clickstream or sales among them (else clickstream). */
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
  private readonly wanted: Record<GeneratedKind, boolean>;
  private readonly buffer: FaultedRecord[] = [];
  private index = 0;

  constructor(options: GeneratorOptions) {
    if (options.kinds.length === 0) throw new RangeError('generator: no kinds to emit');
    const has = (k: GeneratedKind): boolean => options.kinds.includes(k);
    this.wanted = { clickstream: has('clickstream'), sales: has('sales'), customers: has('customers'), campaigns: has('campaigns'), products: has('products') };
    const rateOf = options.kinds.find((k): k is 'clickstream' | 'sales' => k === 'clickstream' || k === 'sales') ?? 'clickstream';
    this.simulation = new Simulation({ ...options, rateOf });
    this.faults = new FaultInjector(new Prng(options.seed, 'faults'), { ...NO_FAULTS, ...options.faults });
  }

  next(): FaultedRecord {
    while (this.index >= this.buffer.length) {
      const record = this.simulation.next();
      if (!this.wanted[record.kind]) continue;
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
