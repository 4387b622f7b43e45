import { Serdes, Stores, type KeyValueStore, type KStream, type Serde, type Processor, type ProcessorContext, type StreamRecord, type StreamsBuilder } from '../runtime/index.ts';
import { isRepeat, DEDUP_WINDOW_MS } from './logic/silver/dedup.ts';
import { validateEvent, type InputEvent } from './logic/silver/input-event.ts';
import { ALLOWED_LATENESS_MS } from './logic/silver/lateness.ts';
import type { PipelineConfig } from './pipeline-config.ts';

/**
 * Bronze → silver admission (logic/README.md, "Silver admission"): every bronze record
 * lands in exactly one of silver, DLQ (malformed, with the reason), late (more than 48 h
 * behind stream time) or duplicates (an event id kept within 48 h), so bronze = silver +
 * duplicates + DLQ + late. Stream time is the greatest event time admitted so far over the
 * whole (single-partition) bronze topic; it and the kept ids live in stores, so a restart
 * under exactly-once resumes the same decisions. Records keep their headers (lineage) and
 * their bronze timestamp; accepted events are keyed by their entity (customer, user,
 * campaign) for the layers downstream.
 */
export type GateOutcome =
  | { readonly outcome: 'accepted' | 'late' | 'duplicate'; readonly event: InputEvent }
  | { readonly outcome: 'malformed'; readonly reason: string; readonly raw: string };

/** A malformed bronze record: why, and the value as text. Lineage stays in the headers. */
export interface DlqRecord {
  readonly reason: string;
  readonly raw: string;
}

export const GATE_STORES = { kept: 'silver-gate-kept', clock: 'silver-gate-clock' } as const;
/**
 * Every this much stream time, the gate forgets the ids no on-time event can repeat any more.
 * A sweep scans every kept id, so it is paced by stream time, not by records: once per hour
 * of events whatever the rate (a sweep every 5,000 records made the cost per record grow with
 * the store: at 3,000 events/s it was 7 % of the thread after a minute, and growing). An id may
 * outlive its horizon by up to this much; it cannot match an on-time event either way.
 */
export const GATE_SWEEP_MS = 3_600_000;

export function entityKey(event: InputEvent): string {
  switch (event.type) {
    case 'order':
    case 'cancellation':
      return event.customerId;
    case 'click':
      return event.userId;
    case 'spend':
      return event.campaign;
  }
}

class SilverGateProcessor implements Processor<string | null, Buffer | null, string | null, GateOutcome> {
  private context!: ProcessorContext<string | null, GateOutcome>;
  private kept!: KeyValueStore<string, number[]>;
  private clock!: KeyValueStore<string, number>;

  constructor(private readonly config: PipelineConfig) {}

  init(context: ProcessorContext<string | null, GateOutcome>): void {
    this.context = context;
    this.kept = context.getStateStore(GATE_STORES.kept);
    this.clock = context.getStateStore(GATE_STORES.clock);
  }

  process(record: StreamRecord<string | null, Buffer | null>): void | Promise<void> {
    const outcome = this.admit(record.value);
    const key = outcome.outcome === 'accepted' ? entityKey(outcome.event) : outcome.outcome === 'duplicate' ? outcome.event.eventId : record.key;
    this.context.forward({ key, value: outcome, timestamp: record.timestamp, headers: record.headers });
    const streamTime = this.clock.get('stream-time');
    if (streamTime === undefined) return;
    const swept = this.clock.get('swept');
    if (swept === undefined) this.clock.put('swept', streamTime);
    else if (streamTime - swept >= GATE_SWEEP_MS) {
      this.clock.put('swept', streamTime);
      return this.expire(streamTime);
    }
  }

  private admit(value: Buffer | null): GateOutcome {
    const raw = value === null ? 'null' : value.toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { outcome: 'malformed', reason: 'value is not JSON', raw };
    }
    const v = validateEvent(parsed, this.config.rates);
    if (!v.ok) return { outcome: 'malformed', reason: v.reason, raw };
    const event = v.event;
    const streamTime = this.clock.get('stream-time');
    if (streamTime !== undefined && event.time < streamTime - ALLOWED_LATENESS_MS) return { outcome: 'late', event };
    if (streamTime === undefined || event.time > streamTime) this.clock.put('stream-time', event.time);
    const times = this.kept.get(event.eventId) ?? [];
    if (times.some((t) => isRepeat(t, event.time))) return { outcome: 'duplicate', event };
    this.kept.put(event.eventId, [...times, event.time]);
    return { outcome: 'accepted', event };
  }

  /** Forgets ids that no on-time event can repeat any more (older than stream time − 96 h). */
  private async expire(streamTime: number): Promise<void> {
    const horizon = streamTime - ALLOWED_LATENESS_MS - DEDUP_WINDOW_MS;
    const stale: string[] = [];
    for await (const { key, value } of this.kept.all()) if (value.every((t) => t < horizon)) stale.push(key);
    for (const key of stale) this.kept.delete(key);
  }
}

/**
 * Adds the gate: bronze events in; silver, DLQ, late and duplicate topics out. Returns the
 * bronze stream. `onAccepted` gets the accepted events in the gate's own order, in its task
 * (gold sales and attribution need that order, see gold-sales.ts and gold-attribution.ts).
 */
export function buildSilverGate(builder: StreamsBuilder, config: PipelineConfig, onAccepted?: (accepted: KStream<string | null, InputEvent>) => void): KStream<string | null, Buffer | null> {
  const { topics } = config;
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(GATE_STORES.kept), Serdes.String(), Serdes.Json<number[]>()));
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(GATE_STORES.clock), Serdes.String(), Serdes.Json<number>()));
  const bronze = builder.stream(topics.bronzeEvents, { keySerde: Serdes.String() as Serde<string | null>, valueSerde: Serdes.Bytes() as Serde<Buffer | null> });
  const outcomes = bronze.process(() => new SilverGateProcessor(config), { named: 'silver-gate', stores: [GATE_STORES.kept, GATE_STORES.clock] });
  const events = (kind: 'accepted' | 'late' | 'duplicate') =>
    outcomes.filter((_k, o) => o.outcome === kind).mapValues((o) => (o as { event: InputEvent }).event);
  const key = Serdes.String() as Serde<string | null>;
  const json = { keySerde: key, valueSerde: Serdes.Json<InputEvent>() };
  const accepted = events('accepted');
  accepted.to(topics.silverEvents, json);
  onAccepted?.(accepted);
  events('late').to(topics.late, json);
  events('duplicate').to(topics.duplicates, json);
  outcomes
    .filter((_k, o) => o.outcome === 'malformed')
    .mapValues((o, _k): DlqRecord => {
      const m = o as { reason: string; raw: string };
      return { reason: m.reason, raw: m.raw };
    })
    .to(topics.dlq, { keySerde: key, valueSerde: Serdes.Json<DlqRecord>() });
  return bronze;
}
