import { StreamsBuilder } from '../../../runtime/dsl/streams-builder.ts';
import type { TimeWindowedKStream } from '../../../runtime/dsl/time-windowed-kstream.ts';
import type { KTable } from '../../../runtime/dsl/ktable.ts';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { LongSerde } from '../../../runtime/serde/long-serde.ts';
import { StringSerde } from '../../../runtime/serde/string-serde.ts';
import { TopologyTestDriver } from '../../../runtime/testing/topology-test-driver.ts';
import type { TestOutputTopic } from '../../../runtime/testing/test-output-topic.ts';
import type { TestInputTopic } from '../../../runtime/testing/test-input-topic.ts';
import { LATE_HEADERS, CORRECTION_HEADER } from '../../../runtime/windows/late-events.ts';
import type { Windowed } from '../../../runtime/windows/window.ts';
import { WindowedSerde } from '../../../runtime/windows/windowed-serde.ts';

export const STR = new StringSerde();
export const LONG = new LongSerde();
export const WSTR = new WindowedSerde(STR);

/** A compact view of one output record: `key@[start,end)=value` plus flags. */
export interface Out {
  key: string;
  start: number;
  end: number;
  value: number | null;
  ts: number;
  correction: boolean;
}

export interface WindowRig {
  driver: TopologyTestDriver;
  input: TestInputTopic<string, number>;
  out: TestOutputTopic<Windowed<string>, number>;
  late: TestOutputTopic<string, number>;
  results(): Out[];
  lateRecords(): { key: string; value: number; ts: number; reason: string; missedBy: number }[];
}

/** Sums values per window: `windowed(grouped stream)` → aggregate → `out`. */
export async function windowRig(
  windowed: (
    builder: StreamsBuilder,
  ) => TimeWindowedKStream<string, number> | { aggregate: TimeWindowedKStream<string, number>['aggregate'] },
  build?: (table: KTable<Windowed<string>, number>) => KTable<Windowed<string>, number>,
): Promise<WindowRig> {
  const builder = new StreamsBuilder();
  const w = windowed(builder);
  let table = w.aggregate(
    () => 0,
    (_k, v, acc) => acc + v,
    { store: 'sums', valueSerde: LONG },
  ) as KTable<Windowed<string>, number>;
  if (build) table = build(table);
  table.toStream().to('out');
  const driver = await TopologyTestDriver.create(builder.build(), { applicationId: 'win', logger: silentLogger });
  const input = driver.createInputTopic('in', STR, LONG);
  const out = driver.createOutputTopic('out', WSTR, LONG);
  const late = driver.createOutputTopic('win-late-events', STR, LONG);
  return {
    driver,
    input,
    out,
    late,
    results: () =>
      out.readRecordsToList().map((r) => ({
        key: r.key.key,
        start: r.key.window.start,
        end: r.key.window.end,
        value: r.value,
        ts: r.timestamp,
        correction: r.headers[CORRECTION_HEADER] === 'true',
      })),
    lateRecords: () =>
      late.readRecordsToList().map((r) => ({
        key: r.key,
        value: r.value,
        ts: Number(r.headers[LATE_HEADERS.eventTimeMs]),
        reason: String(r.headers[LATE_HEADERS.reason]),
        missedBy: Number(r.headers[LATE_HEADERS.missedByMs]),
      })),
  };
}

export function source(builder: StreamsBuilder) {
  return builder.stream('in', { keySerde: STR, valueSerde: LONG }).groupByKey();
}
