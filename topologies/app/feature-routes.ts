import type { KafkaStreams, KeyValueStore, RouteHandler } from '../../runtime/index.ts';
import { FEATURE_STORE, featureRecordOf, type FeatureState } from '../gold-features.ts';
import { RFM_STORES } from '../gold-rfm.ts';
import type { PipelineConfig } from '../pipeline-config.ts';

/**
 * Interactive queries: `GET /features/<customerId>` answers the customer's ML features
 * from this instance's state stores (the feature store of the task that owns the
 * customer, and the RFM row of the scorer task when it runs here). 404 when no local task
 * holds the customer (another instance may).
 */
export interface Route {
  readonly method: string;
  readonly prefix: string;
  readonly handler: RouteHandler;
}

function lookup<V>(streams: KafkaStreams, store: string, key: string): V | undefined {
  for (const { store: s } of streams.localStores<KeyValueStore<string, V>>(store)) {
    const v = s.get(key);
    if (v !== undefined) return v;
  }
  return undefined;
}

export function featureRoutes(streams: KafkaStreams, config: PipelineConfig): Route[] {
  const handler: RouteHandler = (_req, res, url) => {
    const customerId = decodeURIComponent(url.pathname.slice('/features/'.length));
    const state = customerId === '' ? undefined : lookup<FeatureState>(streams, FEATURE_STORE, customerId);
    res.setHeader('content-type', 'application/json');
    if (state === undefined) {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: `no features for customer ${JSON.stringify(customerId)} on this instance` }) + '\n');
      return;
    }
    const rfm = lookup<string>(streams, RFM_STORES.emitted, customerId);
    res.end(JSON.stringify({ ...featureRecordOf(customerId, state, config), rfm: rfm === undefined ? null : JSON.parse(rfm) }) + '\n');
  };
  return [{ method: 'GET', prefix: '/features/', handler }];
}
