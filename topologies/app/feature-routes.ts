import type { KafkaStreams, KeyValueStore, RouteHandler } from '../../runtime/index.ts';
import { FEATURE_STORE, featureRecordOf, type FeatureState } from '../gold-features.ts';
import { RFM_STORES } from '../gold-rfm.ts';
import type { PipelineConfig } from '../pipeline-config.ts';

/**
 * Interactive queries: `GET /features/<customerId>` answers the customer's ML features
 * from the state stores of the local instances (the feature store of the task that owns
 * the customer, and the RFM row of the scorer task when it runs here). 404 when no local
 * task holds the customer (another instance may), as for a visitor whose record the
 * visitor TTL deleted or whose features were handed over to a customer; but 503 with
 * Retry-After while an instance is REBALANCING (tasks moving, stores restoring), or while
 * a feature task assigned to it cannot be queried yet (restoring, or recovering from a
 * failed commit while the instance stays RUNNING), when the customer may only be missing
 * for the moment.
 */
export interface Route {
  readonly method: string;
  readonly prefix: string;
  readonly handler: RouteHandler;
}

function lookup<V>(instances: readonly KafkaStreams[], store: string, key: string): V | undefined {
  for (const streams of instances) {
    for (const { store: s } of streams.localStores<KeyValueStore<string, V>>(store)) {
      const v = s.get(key);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

export function featuresOf(instances: readonly KafkaStreams[], customerId: string, config: PipelineConfig): Record<string, unknown> | undefined {
  const state = customerId === '' ? undefined : lookup<FeatureState>(instances, FEATURE_STORE, customerId);
  if (state === undefined || state.handedOverTo !== undefined) return undefined; // a visitor's features now belong to a customer
  const rfm = lookup<string>(instances, RFM_STORES.emitted, customerId);
  return { ...featureRecordOf(customerId, state, config), rfm: rfm === undefined ? null : (JSON.parse(rfm) as unknown) };
}

/**
 * Why a customer missing from the local stores may be missing only for the moment, or
 * undefined when it is simply not here. Worth retrying: a rebalance (tasks moving, stores
 * restoring), or a feature task assigned here that cannot be queried yet (restoring, or
 * recovering from a failed commit; any such task: the customer's partition is not worked
 * out here, so another customer missing for good also gets a 503 until the task is back).
 * An instance that failed or is shutting down will not receive the customer: a plain 404.
 */
function notYet(instances: readonly KafkaStreams[]): string | undefined {
  for (const streams of instances) {
    if (streams.state === 'REBALANCING') return 'the instance is REBALANCING';
    const pending = streams.pendingStores(FEATURE_STORE);
    if (pending.length > 0) return `feature task ${pending.map((p) => p.taskId).join(', ')} of the instance is restoring its store`;
  }
  return undefined;
}

export function featuresHandler(instances: () => readonly KafkaStreams[], config: PipelineConfig): RouteHandler {
  return (_req, res, url) => {
    const customerId = decodeURIComponent(url.pathname.slice('/features/'.length));
    const local = instances();
    const features = featuresOf(local, customerId, config);
    res.setHeader('content-type', 'application/json');
    if (features !== undefined) return void res.end(JSON.stringify(features) + '\n');
    const unsettled = notYet(local);
    if (unsettled !== undefined) {
      res.statusCode = 503;
      res.setHeader('retry-after', '1');
      return void res.end(JSON.stringify({ error: `${unsettled}: the features of customer ${JSON.stringify(customerId)} may be on their way here; retry` }) + '\n');
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ error: `no features for customer ${JSON.stringify(customerId)} on this instance` }) + '\n');
  };
}

export function featureRoutes(streams: KafkaStreams, config: PipelineConfig): Route[] {
  return [{ method: 'GET', prefix: '/features', handler: featuresHandler(() => [streams], config) }];
}
