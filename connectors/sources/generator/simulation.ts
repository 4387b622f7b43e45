import { DIURNAL_MAX, diurnalShape } from './diurnal.ts';
import { CalendarQueue } from './calendar-queue.ts';
import type { HeapEntry } from './min-heap.ts';
import { Population, type GenUser } from './population.ts';
import { Prng } from './prng.ts';
import type { CustomerProfile } from '../../../schemas/generated/index.ts';
import { catalogRecords, newProfile, spendRecords, updatedProfile } from './reference-data.ts';
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

const DAY = 86_400_000;
/** Campaign spend is re-stated this often (simulated time). */
const SPEND_EVERY = 600_000;
/** Chance that a session of a customer comes with a profile change. */
const PROFILE_CHANGE_PER_SESSION = 0.03;

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
  /** The latest profile of every customer, for updates. */
  private readonly profiles = new Map<number, CustomerProfile>();
  /** Sessions bought per `day|campaign` (the campaigns' clicks). */
  private readonly clicks = new Map<string, number>();
  private nextSpendAt: number;
  private readonly profilePrng: Prng;
  private readonly arrivals: Prng;
  private readonly sessionSim: SessionSimulator;
  private readonly profile: (user: GenUser, at: number) => SimRecord;
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
    this.profilePrng = root.fork('profiles');
    const profile = (user: GenUser, at: number): SimRecord => {
      const value = newProfile(this.profilePrng, user, at);
      this.profiles.set(value.customer_id, value);
      return { kind: 'customers', time: at, value };
    };
    this.profile = profile;
    this.sessionSim = new SessionSimulator({
      prng: sessions,
      world: this.world,
      funnel: { ...DEFAULT_FUNNEL, ...options.funnel },
      nextId: (kind) => `${seedTag}-${kind}${(this.seq++).toString(36)}`,
      register: (user, at) => ({ customerId: this.population.register(user, at), records: [profile(user, at)] }),
      profileChange: (user, at) => {
        const last = user.customerId === null ? undefined : this.profiles.get(user.customerId);
        if (!last || !this.profilePrng.chance(PROFILE_CHANGE_PER_SESSION)) return null;
        const value = updatedProfile(this.profilePrng, user, last, at);
        this.profiles.set(value.customer_id, value);
        return { kind: 'customers', time: at, value };
      },
      campaignSession: (campaignId, at) => {
        const key = `${Math.floor(at / DAY)}|${campaignId}`;
        this.clicks.set(key, (this.clicks.get(key) ?? 0) + 1);
      },
    });
    this.heap.push({ time: options.startTime, seq: this.sessions++, records: catalogRecords(this.world, options.startTime).map((value) => ({ kind: 'products', time: options.startTime, value })), index: 0 });
    this.nextSpendAt = options.startTime + SPEND_EVERY;
    this.sessionRatePerMs = options.rate / RECORDS_PER_SESSION[options.rateOf ?? 'clickstream'] / 1000;
    this.nextSessionAt = options.startTime;
    this.advanceArrival();
  }

  /** The next record in time order (the stream never ends). */
  next(): SimRecord {
    let top = this.heap.peek();
    while (top === undefined || top.time > this.nextSessionAt || top.time > this.nextSpendAt) {
      if (this.nextSpendAt <= this.nextSessionAt) {
        this.pushSpend();
      } else {
        const { user, signedUp } = this.population.nextSessionUser(this.nextSessionAt);
        const records = this.sessionSim.simulate(user, this.nextSessionAt);
        if (signedUp) records.unshift(this.profile(user, this.nextSessionAt));
        if (records.length > 0) this.heap.push({ time: records[0]!.time, seq: this.sessions++, records, index: 0 });
        this.advanceArrival();
      }
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

  /** Every campaign's spend so far on the day that `nextSpendAt` closes or is in. */
  private pushSpend(): void {
    const at = this.nextSpendAt;
    const day = Math.floor((at - 1) / DAY);
    const clicks = new Map(this.world.campaigns.map((c) => [c.campaignId, this.clicks.get(`${day}|${c.campaignId}`) ?? 0]));
    const records: SimRecord[] = spendRecords(this.world.campaigns, clicks, at).map((value) => ({ kind: 'campaigns', time: at, value }));
    this.heap.push({ time: at, seq: this.sessions++, records, index: 0 });
    for (const key of this.clicks.keys()) if (Number(key.slice(0, key.indexOf('|'))) < day - 1) this.clicks.delete(key);
    this.nextSpendAt += SPEND_EVERY;
  }

  private advanceArrival(): void {
    const envelope = this.sessionRatePerMs * DIURNAL_MAX;
    let t = this.nextSessionAt;
    do t += Math.max(1, Math.round(this.arrivals.exp(1 / envelope)));
    while (!this.arrivals.chance(diurnalShape(t) / DIURNAL_MAX));
    this.nextSessionAt = t;
  }
}
