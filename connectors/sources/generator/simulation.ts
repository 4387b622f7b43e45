import { DIURNAL_MAX, diurnalShape } from './diurnal.ts';
import { CalendarQueue } from './calendar-queue.ts';
import type { HeapEntry } from './min-heap.ts';
import { Population } from './population.ts';
import { Prng } from './prng.ts';
import { DEFAULT_FUNNEL, SessionSimulator, type FunnelRates, type SimRecord } from './session.ts';
import { buildWorld, type World } from './world.ts';

export interface SimulationOptions {
  /** Deterministic seed: the same seed and start time give the same records. */
  seed: number;
  /** Simulated time of the first session, epoch ms. */
  startTime: number;
  /** Mean records per simulated second of the kind(s) asked for (over a day). */
  rate: number;
  /** Which records the rate counts: sessions are sized so that this kind meets it. */
  rateOf?: 'clickstream' | 'sales';
  /** Size of the generated catalog. */
  products?: number;
  returningShare?: number;
  funnel?: Partial<FunnelRates>;
}

interface SessionCursor extends HeapEntry {
  readonly records: readonly SimRecord[];
  index: number;
}

/**
 * Clickstream events per session and sales events per session under the default funnel,
 * measured over about 290,000 sessions (seed 7); they turn a record rate into a session rate.
 */
export const RECORDS_PER_SESSION = { clickstream: 3.49, sales: 0.046 } as const;

/**
 * The marketplace as a stream of records in true-time order. Sessions arrive as a Poisson
 * process whose rate follows the diurnal shape (thinning of a homogeneous process); each
 * session's records are merged into one timeline through a calendar queue, so records come out in
 * time order whatever their session (a k-way merge of the sessions' sorted runs). Pure: no clock, no I/O, all randomness seeded.
 */
export class Simulation {
  readonly world: World;
  readonly population: Population;
  /** One cursor per session with records still to come (a session's records are time-ordered). */
  private readonly heap = new CalendarQueue<SessionCursor>();
  private sessions = 0;
  private readonly arrivals: Prng;
  private readonly sessionSim: SessionSimulator;
  private readonly sessionRatePerMs: number;
  private nextSessionAt: number;
  private seq = 0;

  constructor(readonly options: SimulationOptions) {
    if (!(options.rate > 0)) throw new RangeError(`rate must be > 0, got ${options.rate}`);
    const root = new Prng(options.seed, 'simulation');
    this.world = buildWorld(options.seed, { products: options.products });
    this.population = new Population(root.fork('population'), options.returningShare);
    this.arrivals = root.fork('arrivals');
    const seedTag = (options.seed >>> 0).toString(36);
    const sessions = root.fork('sessions');
    this.sessionSim = new SessionSimulator({
      prng: sessions,
      world: this.world,
      funnel: { ...DEFAULT_FUNNEL, ...options.funnel },
      nextId: (kind) => `${seedTag}-${kind}${(this.seq++).toString(36)}`,
      register: (user) => this.population.register(user),
    });
    this.sessionRatePerMs = options.rate / RECORDS_PER_SESSION[options.rateOf ?? 'clickstream'] / 1000;
    this.nextSessionAt = options.startTime;
    this.advanceArrival();
  }

  /** The next record in time order (the stream never ends). */
  next(): SimRecord {
    let top = this.heap.peek();
    while (top === undefined || top.time > this.nextSessionAt) {
      const user = this.population.nextSessionUser();
      const records = this.sessionSim.simulate(user, this.nextSessionAt);
      if (records.length > 0) this.heap.push({ time: records[0]!.time, seq: this.sessions++, records, index: 0 });
      this.advanceArrival();
      top = this.heap.peek();
    }
    const record = top.records[top.index++]!;
    if (top.index < top.records.length) {
      top.time = top.records[top.index]!.time;
      this.heap.updateTop();
    } else {
      this.heap.pop();
    }
    return record;
  }

  private advanceArrival(): void {
    const envelope = this.sessionRatePerMs * DIURNAL_MAX;
    let t = this.nextSessionAt;
    do t += Math.max(1, Math.round(this.arrivals.exp(1 / envelope)));
    while (!this.arrivals.chance(diurnalShape(t) / DIURNAL_MAX));
    this.nextSessionAt = t;
  }
}
