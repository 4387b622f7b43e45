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
 * Retry-After while an instance is REBALANCING (tasks moving, stores restoring), when the
 * customer's task may only be on its way here.
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

export function featuresHandler(instances: () => readonly KafkaStreams[], config: PipelineConfig): RouteHandler {
  return (_req, res, url) => {
    const customerId = decodeURIComponent(url.pathname.slice('/features/'.length));
    const local = instances();
    const features = featuresOf(local, customerId, config);
    res.setHeader('content-type', 'application/json');
    if (features !== undefined) return void res.end(JSON.stringify(features) + '\n');
    // Only a rebalance (tasks moving, stores restoring) is worth retrying; an instance that
    // failed or is shutting down will not receive the customer: that is a plain 404.
    const settling = local.find((s) => s.state === 'REBALANCING');
    if (settling !== undefined) {
      res.statusCode = 503;
      res.setHeader('retry-after', '1');
      return void res.end(JSON.stringify({ error: `the instance is ${settling.state}: the features of customer ${JSON.stringify(customerId)} may be on their way here; retry` }) + '\n');
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ error: `no features for customer ${JSON.stringify(customerId)} on this instance` }) + '\n');
  };
}

export function featureRoutes(streams: KafkaStreams, config: PipelineConfig): Route[] {
  return [{ method: 'GET', prefix: '/features', handler: featuresHandler(() => [streams], config) }];
}
