import { Serdes, type KStream, type StreamsBuilder } from '../runtime/index.ts';
import type { ClickStreamEvent, InputEvent } from './logic/silver/input-event.ts';
import type { PipelineConfig } from './pipeline-config.ts';

/**
 * Silver enrichment: clicks on a product are joined with the product catalog (a
 * stream-table join: the catalog topic is a KTable keyed by product id, the clicks are
 * repartitioned by product id) and published with the product's name and category; a
 * click on a product the catalog does not know yet keeps null fields (left join) and
 * counts as a referential-integrity miss (`productKnown: false`). Order lines already carry
 * their category, so orders are not re-joined.
 */
export interface CatalogProduct {
  readonly productId: string;
  readonly name: string;
  readonly category: string;
}

export interface EnrichedClick extends ClickStreamEvent {
  readonly productName: string | null;
  readonly category: string | null;
  readonly productKnown: boolean;
}

export const CATALOG_STORE = 'silver-product-catalog';

export function buildSilverEnrich(builder: StreamsBuilder, silver: KStream<string, InputEvent>, config: PipelineConfig): void {
  const { topics } = config;
  const catalog = builder.table(topics.products, { keySerde: Serdes.String(), valueSerde: Serdes.Json<CatalogProduct>() }, { store: CATALOG_STORE });
  silver
    .filter((_k, e) => e.type === 'click' && e.productId !== null)
    .mapValues((e) => e as ClickStreamEvent)
    .selectKey((_k, e) => e.productId!)
    .repartition({ name: 'clicks-by-product', keySerde: Serdes.String(), valueSerde: Serdes.Json<ClickStreamEvent>() })
    .leftJoin(catalog, (click, product): EnrichedClick => ({ ...click, productName: product?.name ?? null, category: product?.category ?? null, productKnown: product !== null && product !== undefined }))
    .selectKey((_k, e) => e.userId)
    .to(topics.clicksEnriched, { keySerde: Serdes.String(), valueSerde: Serdes.Json<EnrichedClick>() });
}
