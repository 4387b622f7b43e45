import type { ClickstreamEvent } from '../../../schemas/generated/index.ts';
import type { ClickStreamEvent } from '../silver/input-event.ts';
import { bridged, DEFAULT_CHANNEL, UNKNOWN, type BridgeMapping } from './bridge-mapping.ts';

/** A ClickstreamEvent as the Avro reader yields it (price as bytes or text). */
export type WireClickstreamEvent = Omit<ClickstreamEvent, 'price'> & { readonly price: Buffer | string | null };

/**
 * A clickstream event as a pipeline click. Every event type is a click, kept with its own
 * type: view, cart, remove_from_cart, purchase, search, checkout, other. The pipeline's
 * rules decide what a type is worth (feature weights, 'purchase' converts a session);
 * a type they do not know weighs nothing, so nothing is lost by passing it on and the
 * sessions still see the activity. The page is the page URL, else the search query's
 * page (`search:<query>`) or 'unknown'; no channel is 'direct'.
 */
export function mapClickstreamEvent(e: WireClickstreamEvent): BridgeMapping {
  const page = e.page_url ?? (e.search_query !== null ? `search:${e.search_query}` : UNKNOWN);
  const click: ClickStreamEvent = {
    type: 'click', eventId: e.event_id, time: e.event_time, userId: String(e.user_id), eventType: e.event_type,
    channel: e.channel ?? DEFAULT_CHANNEL, page, campaign: e.campaign_id, productId: e.product_id,
  };
  return bridged('events', e.event_id, click);
}
