import { DeferredSerde } from '../../dsl/internal/deferred-serde.ts';
import { TopologyError } from '../../errors/runtime-errors.ts';
import type { Serde } from '../../serde/serde.ts';
import type { SerdeDefaults } from '../../state/stores.ts';

/** The serde to use in a store: the given one (resolved if deferred) or the default. */
export function resolveSerde<T>(
  given: Serde<T> | undefined,
  defaults: SerdeDefaults,
  kind: 'key' | 'value',
  store: string,
): Serde<T> {
  const s =
    given instanceof DeferredSerde
      ? given.resolve(defaults)
      : (given ?? (kind === 'key' ? defaults.keySerde : defaults.valueSerde));
  if (s === undefined)
    throw new TopologyError(`store ${store} has no ${kind} serde and no default is configured`, { context: { store } });
  return s as Serde<T>;
}
