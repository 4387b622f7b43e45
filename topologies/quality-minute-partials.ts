import type { KStream } from '../runtime/index.ts';
import { partialsBy } from './commit-partials.ts';
import { WINDOW_SIZES, windowStart } from './logic/gold/windows.ts';

const MINUTE = WINDOW_SIZES['1m'];

/** Partial aggregates of `stream` per [layer, minute], keyed `JSON [layer, minute start]`, one per key per commit. */
export function minutePartials<V, P>(stream: KStream<unknown, V>, layer: string, empty: () => P, add: (partial: P, value: V, timestamp: number) => P): KStream<string, P> {
  const keyOf = (_value: V, timestamp: number): string => JSON.stringify([layer, windowStart(timestamp, MINUTE)]);
  return partialsBy(stream, `dq-minute-${layer}`, keyOf, empty, add);
}

