import { parseArgs } from 'node:util';
import { loadConfig } from '../../deploy/config.ts';
import { systemClock } from '../../runtime/time/clock.ts';
import type { GeneratedKind, GeneratorOptions } from '../../connectors/sources/generator/record-generator.ts';
import { DEFAULT_PRODUCTS } from '../../connectors/sources/generator/world.ts';
import { producerId, sourceKafka } from '../../connectors/sources/kafka/kafka-client.ts';
import { runProduceJob } from '../../connectors/sources/producer/produce-job.ts';
import type { ProduceStats } from '../../connectors/sources/producer/produce-runner.ts';
import { serializerFor } from '../../connectors/sources/serde/serializer-for.ts';
import { parseDuration, parseNumber } from '../../connectors/sources/util/parse-duration.ts';
import { Topics, renamed, type TopicSpec } from '../../topologies/topics.ts';

const KINDS: Record<string, GeneratedKind[]> = {
  clickstream: ['clickstream'], sales: ['sales'], customers: ['customers'], campaigns: ['campaigns'], catalog: ['products'],
  all: ['clickstream', 'sales', 'customers', 'campaigns', 'products'],
};

const USAGE = `usage: streamhouse produce <what>[,<what>...] [options]
  what: clickstream, sales, customers (profile inserts and updates), campaigns (spend), catalog, or all;
  they come from one simulated marketplace, so the events name the products, customers and campaigns
  --rate N            mean records/s of the first kind, over a day (default 100)
  --count N           stop after N records          --duration D   stop after D (30s, 10m, 2h)
  --seed N            deterministic seed (default 1) --start ISO   simulated start time (default now)
  --speed N|max       simulated seconds per second (default 1; max = as fast as Kafka takes it)
  --jitter D          out-of-order jitter (default 0)  --late F     share of late records (default 0)
  --beyond-48h F      share of late records later than 48h (default 0.2)
  --duplicates F      share sent twice (same event id) --malformed F share replaced by bad payloads
  --format json|avro  value format (avro registers schemas with the configured registry; default json)
  --topic-prefix P    prefix every topic name (tests, sandboxes)
  --worker            generate and serialize in a worker thread (the main thread only produces)
Stops cleanly on Ctrl-C, flushing what was generated.`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      rate: { type: 'string', default: '100' }, count: { type: 'string' }, duration: { type: 'string' },
      seed: { type: 'string', default: '1' }, start: { type: 'string' }, speed: { type: 'string', default: '1' },
      jitter: { type: 'string', default: '0' }, late: { type: 'string', default: '0' }, 'beyond-48h': { type: 'string', default: '0.2' },
      duplicates: { type: 'string', default: '0' }, malformed: { type: 'string', default: '0' },
      format: { type: 'string', default: 'json' }, 'topic-prefix': { type: 'string', default: '' }, worker: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const what = positionals[0]?.split(',') ?? [];
  if (values.help || what.length === 0 || what.some((w) => !KINDS[w])) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const kinds = [...new Set(what.flatMap((w) => KINDS[w]!))];
  const start = values.start ? Date.parse(values.start) : systemClock.now();
  if (Number.isNaN(start)) throw new RangeError(`--start: "${values.start}" is not an ISO date-time`);
  const seed = parseNumber(values.seed, '--seed', 0, 2 ** 32 - 1);
  const generator: GeneratorOptions = {
    seed, startTime: start, rate: parseNumber(values.rate, '--rate', 1e-6), kinds,
    faults: {
      jitterMs: parseDuration(values.jitter, '--jitter'), lateFraction: parseNumber(values.late, '--late', 0, 1),
      beyondLatenessShare: parseNumber(values['beyond-48h'], '--beyond-48h', 0, 1),
      duplicateFraction: parseNumber(values.duplicates, '--duplicates', 0, 1), malformedFraction: parseNumber(values.malformed, '--malformed', 0, 1),
    },
  };
  const prefix = values['topic-prefix'];
  const b = Topics.bronze;
  const specs = { clickstream: b.clickstream, sales: b.sales, customers: b.customers, campaigns: b.campaigns, products: b.products } as const;
  const topics = Object.fromEntries(kinds.map((k) => [k, renamed(specs[k] as TopicSpec, prefix + specs[k].name)])) as Record<GeneratedKind, TopicSpec>;
  const config = loadConfig();
  const abort = new AbortController();
  const stop = (): void => {
    if (!abort.signal.aborted) console.error('\nstopping: flushing what was generated...');
    abort.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`producing ${kinds.join('+')} to ${kinds.map((k) => topics[k].name).join(', ')} (seed ${seed}, ${values.format})`);
  try {
    const stats = await runProduceJob({
      generator, topics, kafka: sourceKafka(config.kafka.brokers, 'streamhouse-produce'), serializer: serializerFor(values.format, config),
      worker: values.worker === true, clock: systemClock, signal: abort.signal, producerId: producerId('streamhouse-produce'),
      speed: values.speed === 'max' ? Infinity : parseNumber(values.speed, '--speed', 1e-6),
      // The catalog alone is a finite list: stop after it unless told otherwise.
      count: values.count ? parseNumber(values.count, '--count', 0) : kinds.length === 1 && kinds[0] === 'products' ? DEFAULT_PRODUCTS : undefined,
      durationMs: values.duration ? parseDuration(values.duration, '--duration') : undefined,
      onProgress: (s) => console.log(line(s)),
    });
    console.log(`done (${stats.stoppedBy}): ${line(stats)}`);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return 0;
}

function line(s: ProduceStats): string {
  const rate = s.elapsedMs > 0 ? Math.round((s.acked * 1000) / s.elapsedMs) : 0;
  const f = s.byFault;
  return `${s.sent} sent, ${s.acked} acked, ${rate}/s; late ${f.late + f['late-beyond-48h']} (>48h ${f['late-beyond-48h']}), duplicates ${f.duplicate}, malformed ${f.malformed}`;
}
