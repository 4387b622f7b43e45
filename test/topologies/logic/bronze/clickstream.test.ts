import { describe, expect, it } from 'vitest';
import { mapClickstreamEvent, type WireClickstreamEvent } from '../../../../topologies/logic/bronze/clickstream.ts';

const event = (over: Partial<WireClickstreamEvent>): WireClickstreamEvent => ({
  event_id: 'c1', event_time: 5_000, event_type: 'view', product_id: 'p1', category_id: null, category_code: null, brand: null, price: null,
  currency: 'USD', user_id: 1007, user_session: 's1', search_query: null, order_id: null, device_type: null, device_os: null, country: null,
  page_url: 'https://shop/p1', referrer: null, channel: 'social', campaign_id: 'cmp1', utm_source: null, utm_medium: null, utm_campaign: null,
  utm_content: null, utm_term: null, source: 'rees46', ...over,
});

describe('mapClickstreamEvent', () => {
  it('maps a view to a click keyed by its event id', () => {
    expect(mapClickstreamEvent(event({}))).toEqual({
      ok: true, target: 'events', key: 'c1',
      value: { type: 'click', eventId: 'c1', time: 5_000, userId: '1007', eventType: 'view', channel: 'social', page: 'https://shop/p1', campaign: 'cmp1', productId: 'p1' },
    });
  });

  it('keeps every event type, remove_from_cart included', () => {
    for (const t of ['remove_from_cart', 'search', 'checkout', 'other'] as const) {
      const m = mapClickstreamEvent(event({ event_type: t }));
      expect(m.ok && m.value).toMatchObject({ type: 'click', eventType: t });
    }
  });

  it('derives the page of a search without URL, defaults the channel', () => {
    const m = mapClickstreamEvent(event({ page_url: null, search_query: 'red shoes', channel: null, campaign_id: null, product_id: null }));
    expect(m.ok && m.value).toMatchObject({ page: 'search:red shoes', channel: 'direct', campaign: null, productId: null });
    const n = mapClickstreamEvent(event({ page_url: null }));
    expect(n.ok && n.value).toMatchObject({ page: 'unknown' });
  });
});
