import type { CampaignSpend } from '../../../schemas/generated/index.ts';
import { compare, decimal, formatDecimal, rescale, subtract, zero } from '../money/decimal.ts';
import type { SpendEvent } from '../silver/input-event.ts';
import { bridged, MONEY_SCALE, refuse, type BridgeMapping } from './bridge-mapping.ts';
import { decimalText } from './decimal-bytes.ts';

/** A CampaignSpend as the Avro reader yields it (spend as bytes or text). */
export type WireCampaignSpend = Omit<CampaignSpend, 'spend'> & { readonly spend: Buffer | string };

/** The statement of one (campaign, day, channel) applied so far. */
export interface SpendStatement {
  readonly updatedAt: number;
  readonly spend: string;
}

const DAY_MS = 86_400_000;

/** The key a statement is remembered under: one running total per campaign, day and channel. */
export const statementKey = (s: WireCampaignSpend): string => JSON.stringify([s.campaign_id, s.day, s.channel]);

/**
 * Campaign spend arrives as re-statements: each record is the spend of the day so far, and
 * a later one for the same (campaign, day, channel) replaces it. The pipeline adds spend
 * events up, so a statement becomes the increase over the statement applied before
 * (`previous`, undefined for the first): a spend event of that delta, at the start of the
 * day (so it lands in that day's window), with the id `spend:<campaign>:<day>:<channel>:<updated_at>`
 * (a re-sent statement has the same id, and silver drops it as a duplicate).
 * - A statement older than, or as old as, the one applied changes nothing: a spend of 0.
 * - A newer statement below the applied total (a downward correction) cannot be expressed
 *   (spend events are ≥ 0): refused with the reason, and the applied total stays.
 * Returns the mapping and the statement to remember (unchanged unless applied).
 */
export function mapCampaignSpend(s: WireCampaignSpend, previous: SpendStatement | undefined): { mapping: BridgeMapping; statement: SpendStatement | undefined } {
  const stated = rescale(decimal(decimalText(s.spend, MONEY_SCALE)), MONEY_SCALE);
  const eventId = `spend:${s.campaign_id}:${s.day}:${s.channel}:${s.updated_at}`;
  const event = (amount: string): SpendEvent => ({ type: 'spend', eventId, time: s.day * DAY_MS, campaign: s.campaign_id, channel: s.channel, currency: s.currency, amount });
  if (previous !== undefined && s.updated_at <= previous.updatedAt) {
    return { mapping: bridged('events', eventId, event(formatDecimal(zero(MONEY_SCALE)))), statement: previous };
  }
  const delta = previous === undefined ? stated : subtract(stated, decimal(previous.spend));
  if (compare(delta, zero(MONEY_SCALE)) < 0) {
    const reason = `spend of ${s.campaign_id} on day ${s.day} (${s.channel}) corrected down from ${previous!.spend} to ${formatDecimal(stated)}: spend events cannot be negative`;
    return { mapping: refuse('MAPPING_ERROR', reason), statement: previous };
  }
  return { mapping: bridged('events', eventId, event(formatDecimal(delta))), statement: { updatedAt: s.updated_at, spend: formatDecimal(stated) } };
}
