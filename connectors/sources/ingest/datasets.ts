import { Topics, type TopicSpec } from '../../../topologies/topics.ts';
import { CanonicalImporter } from './importers/canonical-importer.ts';
import type { Importer } from './importers/importer.ts';
import { Rees46Importer } from './importers/rees46-importer.ts';
import { UciRetailImporter } from './importers/uci-retail-importer.ts';

/** What `streamhouse ingest <dataset>` can load, and where it goes. */
export interface Dataset {
  readonly summary: string;
  readonly topic: TopicSpec;
  importer(topic: TopicSpec): Importer;
}

export const DATASETS: Readonly<Record<string, Dataset>> = {
  'uci-retail': {
    summary: 'UCI Online Retail CSV (InvoiceNo, StockCode, ...) -> sales orders',
    topic: Topics.bronze.sales,
    importer: (t) => new UciRetailImporter(t),
  },
  rees46: {
    summary: 'REES46 e-commerce events CSV -> clickstream events',
    topic: Topics.bronze.clickstream,
    importer: (t) => new Rees46Importer(t),
  },
  products: { summary: 'product catalog (product.avsc columns)', topic: Topics.bronze.products, importer: (t) => new CanonicalImporter(t) },
  customers: {
    summary: 'customer profile inserts and updates (customer-profile.avsc columns)',
    topic: Topics.bronze.customers,
    importer: (t) => new CanonicalImporter(t),
  },
  campaigns: { summary: 'campaign spend per day and channel (campaign.avsc columns)', topic: Topics.bronze.campaigns, importer: (t) => new CanonicalImporter(t) },
  clickstream: {
    summary: 'backfill of clickstream events (clickstream-event.avsc columns), original event times',
    topic: Topics.bronze.clickstream,
    importer: (t) => new CanonicalImporter(t, 'backfill:clickstream-event'),
  },
  sales: {
    summary: 'backfill of sales orders (sales-order.avsc columns; lines as JSON), original event times',
    topic: Topics.bronze.sales,
    importer: (t) => new CanonicalImporter(t, 'backfill:sales-order'),
  },
};
