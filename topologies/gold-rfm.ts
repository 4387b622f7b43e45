import { Serdes, Stores, type KeyValueStore, type KStream, type Processor, type ProcessorContext, type StreamRecord, type StreamsBuilder } from '../runtime/index.ts';
import { orderRevenue } from './logic/gold/order-revenue.ts';
import { toBase } from './logic/money/currency.ts';
import { decimal, formatDecimal } from './logic/money/decimal.ts';
import { applyRfmEvent, type RfmEvent } from './logic/rfm/customer-rfm.ts';
import { scoreRfm, type RfmInput } from './logic/rfm/rfm-scores.ts';
import type { InputEvent } from './logic/silver/input-event.ts';
import { fromCents, toCents, type Cents } from './money-json.ts';
import type { PipelineConfig } from './pipeline-config.ts';

/**
 * Gold RFM, continuous. Per customer, purchases and cancellations update the RFM state
 * (last purchase, distinct orders, revenue net of cancellations; logic/rfm/customer-rfm.ts)
 * in a keyed aggregate. Quintile scores are relative to the whole population, so the states
 * go to one partition where a scorer keeps the population and rescores it (at most once per
 * `rfmScoreIntervalMs` of wall-clock time, when something changed), publishing the rows that
 * changed. Quantile and tie rules: logic/README.md ("RFM").
 */
export interface RfmRow {
  readonly customerId: string;
  readonly asOf: number;
  readonly lastPurchase: number;
  readonly recencyDays: number;
  readonly frequency: number;
  readonly monetary: string;
  readonly r: number;
  readonly f: number;
  readonly m: number;
  readonly segment: string;
}

interface RfmState {
  readonly customerId: string;
  readonly lastPurchase: number | null;
  readonly orderIds: readonly string[];
  readonly monetary: Cents;
}

export const RFM_STORES = { customers: 'gold-rfm-customers', population: 'gold-rfm-population', emitted: 'gold-rfm-emitted' } as const;

function rfmEvent(e: InputEvent, config: PipelineConfig): RfmEvent | null {
  if (e.type === 'order') return { kind: 'purchase', customerId: e.customerId, orderId: e.orderId, time: e.time, amount: orderRevenue(e, config.rates) };
  if (e.type === 'cancellation') return { kind: 'cancellation', customerId: e.customerId, orderId: e.orderId, time: e.time, amount: toBase(decimal(e.amount), e.currency, config.rates) };
  return null;
}

/** A customer's scoring input; null before its first purchase (not scored). */
function inputOf(s: RfmState): RfmInput | null {
  return s.lastPurchase === null ? null : { customerId: s.customerId, lastPurchase: s.lastPurchase, frequency: s.orderIds.length, monetary: fromCents(s.monetary) };
}

class RfmScorer implements Processor<string, RfmState, string, RfmRow> {
  private context!: ProcessorContext<string, RfmRow>;
  private population!: KeyValueStore<string, RfmState>;
  private emitted!: KeyValueStore<string, string>;
  /** True after a restart too: the last scoring may not have run. */
  private dirty = true;
  /**
   * The population's scoring inputs and the rows last emitted (without `asOf`), per customer:
   * copies of the two stores, read from them at the first scoring and kept up with every put
   * since, so that a scoring neither decodes the whole population nor reads back every
   * emitted row.
   */
  private inputs: Map<string, RfmInput | null> | undefined;
  private emittedRows: Map<string, string> | undefined;

  constructor(private readonly config: PipelineConfig) {}

  init(context: ProcessorContext<string, RfmRow>): void {
    this.context = context;
    this.population = context.getStateStore(RFM_STORES.population);
    this.emitted = context.getStateStore(RFM_STORES.emitted);
    context.schedule(this.config.rfmScoreIntervalMs, 'WALL_CLOCK_TIME', () => (this.dirty ? this.score() : undefined));
  }

  process(record: StreamRecord<string, RfmState>): void {
    this.population.put(record.key, record.value);
    this.inputs?.set(record.key, inputOf(record.value));
    this.dirty = true;
  }

  private async score(): Promise<void> {
    this.dirty = false;
    const inputs = (this.inputs ??= await readAll(this.population, inputOf));
    const emitted = (this.emittedRows ??= await readAll(this.emitted, (text) => text));
    const population: RfmInput[] = [];
    for (const input of inputs.values()) if (input !== null) population.push(input);
    const asOf = this.config.rfmReferenceTime ?? this.context.currentSystemTimeMs();
    for (const s of scoreRfm(population, asOf)) {
      const row: RfmRow = { customerId: s.customerId, asOf, lastPurchase: s.lastPurchase, recencyDays: s.recencyDays, frequency: s.frequency, monetary: formatDecimal(s.monetary), r: s.r, f: s.f, m: s.m, segment: s.segment };
      const { asOf: _asOf, ...content } = row;
      const text = JSON.stringify(content);
      if (emitted.get(s.customerId) === text) continue;
      this.emitted.put(s.customerId, text);
      emitted.set(s.customerId, text);
      this.context.forward({ key: s.customerId, value: row, timestamp: asOf, headers: {} });
    }
  }
}

/** Every entry of `store`, its value mapped by `as`. */
async function readAll<V, T>(store: KeyValueStore<string, V>, as: (value: V) => T): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for await (const { key, value } of store.all()) out.set(key, as(value));
  return out;
}

export function buildGoldRfm(builder: StreamsBuilder, silver: KStream<string, InputEvent>, config: PipelineConfig): void {
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(RFM_STORES.population), Serdes.String(), Serdes.Json<RfmState>()));
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(RFM_STORES.emitted), Serdes.String(), Serdes.String()));
  silver
    .flatMap((_k, e) => {
      const r = rfmEvent(e, config);
      return r === null ? [] : [{ key: r.customerId, value: { ...r, amount: toCents(r.amount) } }];
    })
    .groupByKey({ keySerde: Serdes.String(), valueSerde: Serdes.Json<Omit<RfmEvent, 'amount'> & { amount: Cents }>(), name: 'gold-rfm' })
    .aggregate<RfmState>(
      () => ({ customerId: '', lastPurchase: null, orderIds: [], monetary: '0' }),
      (customerId, e, s) => {
        const next = applyRfmEvent({ ...s, customerId, monetary: fromCents(s.monetary) }, { ...e, amount: fromCents(e.amount) });
        return { ...next, monetary: toCents(next.monetary) };
      },
      { store: RFM_STORES.customers, keySerde: Serdes.String(), valueSerde: Serdes.Json<RfmState>() },
    )
    .toStream()
    .repartition({ name: 'rfm-population', keySerde: Serdes.String(), valueSerde: Serdes.Json<RfmState>(), numberOfPartitions: 1 })
    .process(() => new RfmScorer(config), { named: 'gold-rfm-scorer', stores: [RFM_STORES.population, RFM_STORES.emitted] })
    .to(config.topics.rfm, { keySerde: Serdes.String(), valueSerde: config.goldSerdes.rfm() });
}
