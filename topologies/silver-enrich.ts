import { Serdes, type GlobalKTable, type KStream, type StreamsBuilder } from '../runtime/index.ts';
import type { ClickStreamEvent, InputEvent, OrderLine } from './logic/silver/input-event.ts';
import type { PipelineConfig } from './pipeline-config.ts';

/**
 * Silver enrichment with the product catalog. The catalog (`products`, keyed by product
 * id) is a GlobalKTable: every instance holds all of it (one LevelDB store, no changelog:
 * the compacted topic is its changelog). A catalog is small next to the event streams
 * (thousands to a few million rows), while a partitioned KTable would need every click
 * re-keyed by product id (one repartition topic: each click written and read twice) and
 * every order split into its lines, re-keyed, joined and re-assembled (a repartition topic
 * per direction and a store for the partial orders). With the global table, clicks and
 * orders stay on their own partitions.
 *
 * Both joins are stream-table joins: a record takes the catalog row current when it is
 * processed; a later catalog change never updates records already published (no
 * retroactive update), and an unknown product gives null name and category and
 * `productKnown: false` (a referential-integrity miss, counted downstream).
 * - Clicks on a product go to `clicksEnriched` (this file).
 * - Order lines are enriched by `enrichOrderLines` when the customer dimension publishes
 *   the order (topologies/customer-dimension.ts): a line keeps its own `category` (what
 *   the sale recorded; gold and the batch oracle use it) and gains `catalogCategory`,
 *   which never overrides it.
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

export interface EnrichedOrderLine extends OrderLine {
  readonly productName: string | null;
  /** The catalog's category; the line's own `category` stays as sold. */
  readonly catalogCategory: string | null;
  readonly productKnown: boolean;
}

export const CATALOG_STORE = 'silver-product-catalog';

/** The product catalog, replicated to every instance. Build it once and pass it to both joins. */
export function buildProductCatalog(builder: StreamsBuilder, config: PipelineConfig): GlobalKTable<string, CatalogProduct> {
  return builder.globalTable(config.topics.products, { keySerde: Serdes.String(), valueSerde: Serdes.Json<CatalogProduct>() }, { store: CATALOG_STORE });
}

export function enrichOrderLines(lines: readonly OrderLine[], lookup: (productId: string) => CatalogProduct | null): EnrichedOrderLine[] {
  return lines.map((line) => {
    const product = lookup(line.productId);
    return { ...line, productName: product?.name ?? null, catalogCategory: product?.category ?? null, productKnown: product !== null };
  });
}

export function buildSilverEnrich(builder: StreamsBuilder, silver: KStream<string, InputEvent>, catalog: GlobalKTable<string, CatalogProduct>, config: PipelineConfig): void {
  silver
    .filter((_k, e) => e.type === 'click' && e.productId !== null)
    .mapValues((e) => e as ClickStreamEvent)
    .leftJoin(
      catalog,
      (_k, click) => click.productId!,
      (click, product): EnrichedClick => ({ ...click, productName: product?.name ?? null, category: product?.category ?? null, productKnown: product !== null && product !== undefined }),
    )
    .selectKey((_k, e) => e.userId)
    .to(config.topics.clicksEnriched, { keySerde: Serdes.String(), valueSerde: Serdes.Json<EnrichedClick>() });
}
