/**
 * The traffic side of medallion-latency.bench.ts, in a worker thread so that neither the
 * offered rate nor the arrival times depend on the application's event loop: produces live
 * events (and one probe order per 100 ms tick) to bronze at the given rate, and reads the gold
 * topics (read_committed), noting when each probe first arrives in each. Posts
 * `{ kind: 'ready' }` when it is about to start (the simulator traffic first warms its generator
 * up and sends the catalog and the customer profiles) and starts on the main thread's 'go'
 * (once the application has caught up with that reference data), `{ kind: 'sent', events }` after each tick, `{ kind: 'produced' }` when the rate's time is
 * over, and `{ kind: 'result', probes, arrivals }` after the main thread posts 'finish'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Kafka, logLevel } from 'kafkajs';
import { groupedLinearly } from '../runtime/task/internal/partition-grouping.ts';
import { installProduceEncoder } from '../runtime/task/internal/produce-request.ts';
import { liveBatch } from '../topologies/app/live-traffic.ts';
import { SimulatorEvents } from './simulator-events.ts';

export interface TrafficInit {
  readonly brokers: string[];
  readonly id: string;
  readonly bronzeTopic: string;
  readonly productsTopic: string;
  readonly customerChangesTopic: string;
  readonly goldTopics: string[];
  readonly rate: number;
  readonly seconds: number;
  readonly traffic: 'seeded' | 'simulator';
}

const init = workerData as TrafficInit;
// This thread loads kafkajs afresh: give its producer the application's Produce encoder and
// linear grouping too, so that the traffic takes as little of the machine as it can.
installProduceEncoder();
const port = parentPort!;
const kafka = new Kafka({ clientId: `${init.id}-traffic`, brokers: init.brokers, logLevel: logLevel.NOTHING });
const probes: [number, number][] = [];
const arrivals = new Map<string, [number, number][]>(init.goldTopics.map((t) => [t, []]));
const seen = new Map<string, Set<number>>(init.goldTopics.map((t) => [t, new Set()]));

const consumer = kafka.consumer({ groupId: `${init.id}-reader`, readUncommitted: false, maxWaitTimeInMs: 20 });
await consumer.connect();
await consumer.subscribe({ topics: init.goldTopics, fromBeginning: true });
await consumer.run({
  eachBatch: async ({ batch }) => {
    const now = Date.now();
    for (const m of batch.messages) {
      const probe = /probe-(\d+)/.exec(m.key?.toString() ?? '');
      if (probe === null || seen.get(batch.topic)!.has(Number(probe[1]))) continue;
      seen.get(batch.topic)!.add(Number(probe[1]));
      arrivals.get(batch.topic)!.push([Number(probe[1]), now]);
    }
  },
});

/** An order of a customer, category and channel of its own, so its gold rows are its alone. */
const probe = (n: number, now: number) => ({
  type: 'order', eventId: `${init.id}-probe-${n}`, orderId: `${init.id}-probe-${n}`, customerId: `probe-${n}`, time: now,
  channel: `probe-${n}`, country: 'DE', currency: 'EUR', lines: [{ productId: 'p0', category: `probe-${n}`, quantity: 1, unitPrice: '1.00' }],
});

const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();
const simulator = init.traffic === 'simulator' ? new SimulatorEvents(1, Date.now()) : undefined;
const json = ([key, value]: [string, object]) => ({ key, value: JSON.stringify(value) });
/** The catalog and customer changes met along the way, to their topics (in batches of 500). */
const sendReference = async (products: [string, object][], customerChanges: [string, object][]) => {
  for (const [topic, records] of [[init.productsTopic, products], [init.customerChangesTopic, customerChanges]] as const) {
    for (let i = 0; i < records.length; i += 500) await producer.send({ topic, messages: records.slice(i, i + 500).map(json) });
  }
};
if (simulator !== undefined) await sendReference(simulator.reference.products, simulator.reference.customerChanges);
const go = new Promise((resolve) => port.once('message', resolve));
port.postMessage({ kind: 'ready' });
await go;
const start = Date.now();
for (let tick = 0; Date.now() < start + init.seconds * 1000; tick++) {
  const due = start + tick * 100;
  if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
  // The generator spreads a batch of n events over about n × 10 s of event time (its minutes
  // become seconds): batches of at most 50 keep event times within minutes of the produce
  // time (the broker refuses timestamps more than an hour ahead, and gold records carry them).
  const n = Math.round(init.rate / 10);
  const events: Record<string, unknown>[] = [];
  if (simulator === undefined) for (let c = 0; c * 50 < n; c++) events.push(...liveBatch(init.id, tick * 1000 + c, Math.min(50, n - c * 50), Date.now()));
  else {
    const batch = simulator.next(n, Date.now());
    events.push(...batch.events);
    await sendReference(batch.products, batch.customerChanges);
  }
  const sentAt = Date.now();
  events.push(probe(tick, sentAt));
  probes.push([tick, sentAt]);
  await producer.send({ topic: init.bronzeTopic, messages: groupedLinearly(events.map((e) => ({ key: null, value: JSON.stringify(e) }))) });
  port.postMessage({ kind: 'sent', events: events.length });
}
port.postMessage({ kind: 'produced' });
port.once('message', () => {
  void (async () => {
    await producer.disconnect();
    await consumer.disconnect();
    port.postMessage({ kind: 'result', probes, arrivals: [...arrivals] });
  })();
});
