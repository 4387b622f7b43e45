import { TopologyError } from '../../errors/runtime-errors.ts';
import type { Serde } from '../../serde/serde.ts';
import type { SerdeDefaults } from '../../state/stores.ts';

/**
 * A serde that is only known once the application's default serdes are (at compile
 * time), e.g. the Change serde of a table repartition topic over a default value
 * serde. Tasks resolve it when they build their nodes; it is never used directly.
 */
export class DeferredSerde implements Serde<unknown> {
  constructor(readonly resolve: (defaults: SerdeDefaults) => Serde<unknown>) {}

  serialize(): Buffer | null {
    throw new TopologyError('a deferred serde was used before it was resolved');
  }

  deserialize(): unknown {
    throw new TopologyError('a deferred serde was used before it was resolved');
  }
}
