import { describe, expect, it } from 'vitest';
import { mapCampaignSpend, type WireCampaignSpend } from '../../../../topologies/logic/bronze/campaign-spend.ts';

const DAY = 20_000;
const statement = (spend: string, updatedAt: number): WireCampaignSpend => ({
  campaign_id: 'cmp1', campaign_name: null, channel: 'paid_search', day: DAY, spend, currency: 'USD', impressions: null, clicks: null,
  utm_source: null, utm_medium: null, utm_campaign: null, updated_at: updatedAt, source: 'generator',
});

describe('mapCampaignSpend', () => {
  it('turns re-statements of the day so far into spend deltas at the start of the day', () => {
    const first = mapCampaignSpend(statement('10.5000', 100), undefined);
    expect(first.mapping).toEqual({
      ok: true, target: 'events', key: 'spend:cmp1:20000:paid_search:100',
      value: { type: 'spend', eventId: 'spend:cmp1:20000:paid_search:100', time: DAY * 86_400_000, campaign: 'cmp1', channel: 'paid_search', currency: 'USD', amount: '10.5000' },
    });
    const second = mapCampaignSpend(statement('25.0000', 200), first.statement);
    expect(second.mapping.ok && second.mapping.value).toMatchObject({ amount: '14.5000', eventId: 'spend:cmp1:20000:paid_search:200' });
    expect(second.statement).toEqual({ updatedAt: 200, spend: '25.0000' });
  });

  it('a statement no newer than the applied one adds 0 and changes nothing', () => {
    const applied = { updatedAt: 200, spend: '25.0000' };
    const stale = mapCampaignSpend(statement('30.0000', 150), applied);
    expect(stale.mapping.ok && stale.mapping.value).toMatchObject({ amount: '0.0000' });
    expect(stale.statement).toBe(applied);
  });

  it('refuses a downward correction (spend events are >= 0) and keeps the applied total', () => {
    const applied = { updatedAt: 200, spend: '25.0000' };
    const down = mapCampaignSpend(statement('20.0000', 300), applied);
    expect(down.mapping).toEqual({ ok: false, code: 'MAPPING_ERROR', reason: 'spend of cmp1 on day 20000 (paid_search) corrected down from 25.0000 to 20.0000: spend events cannot be negative' });
    expect(down.statement).toBe(applied);
  });
});
