import type { CampaignSpend, CustomerProfile, Product } from '../../../schemas/generated/index.ts';
import { centsToDecimal } from './money.ts';
import type { GenUser } from './population.ts';
import type { Prng } from './prng.ts';
import type { GenCampaign, World } from './world.ts';

/**
 * The reference data that goes with the generated traffic, so that joins downstream find
 * what the events name: the catalog of the world's products, a profile for every customer
 * (an insert at sign-up, then occasional updates: a move, a new loyalty tier, an opt-out),
 * and each campaign's spend so far today, re-stated every 10 simulated minutes (a later
 * record for the same campaign and day corrects the earlier one).
 */

export function catalogRecords(world: World, at: number): Product[] {
  return world.products.map((p) => ({
    product_id: p.productId, name: p.name, category_id: p.categoryId, category_code: p.categoryCode, brand: p.brand,
    price: centsToDecimal(p.priceUsdCents), currency: 'USD', seller_id: p.sellerId, is_active: true, updated_at: at, source: 'generator',
  }));
}

const FIRST = ['Alex', 'Maria', 'Jan', 'Emma', 'Li', 'Noah', 'Sofia', 'Yuki', 'Omar', 'Anna', 'Lucas', 'Mia'];
const LAST = ['Smith', 'Kowalski', 'Müller', 'Martin', 'Tanaka', 'Brown', 'Nowak', 'Dubois', 'Berg', 'Lee'];
const CITIES: Record<string, readonly string[]> = {
  US: ['New York', 'Austin', 'Seattle'], GB: ['London', 'Leeds', 'Bristol'], DE: ['Berlin', 'Hamburg', 'Munich'],
  FR: ['Paris', 'Lyon', 'Lille'], PL: ['Warsaw', 'Kraków', 'Gdańsk'], SE: ['Stockholm', 'Malmö'], CA: ['Toronto', 'Montreal'],
  JP: ['Tokyo', 'Osaka'],
};

/** The profile of a user who just became a customer. */
export function newProfile(prng: Prng, user: GenUser, at: number): CustomerProfile {
  return {
    customer_id: user.customerId!, email: `user${user.userId}@mail.example`,
    full_name: `${prng.pick(FIRST)} ${prng.pick(LAST)}`, country: user.country, city: prng.pick(CITIES[user.country] ?? ['Unknown']),
    loyalty_tier: 'bronze', marketing_opt_in: prng.chance(0.6), birth_year: 1950 + prng.int(56), signup_time: at, updated_at: at,
    deleted: false, source: 'generator',
  };
}

/** A change to a known profile: a move, a tier that follows the orders, or an opt-out. */
export function updatedProfile(prng: Prng, user: GenUser, last: CustomerProfile, at: number): CustomerProfile {
  const change = prng.int(3);
  const tier = user.orders >= 8 ? 'platinum' : user.orders >= 4 ? 'gold' : user.orders >= 2 ? 'silver' : 'bronze';
  return {
    ...last,
    city: change === 0 ? prng.pick(CITIES[user.country] ?? ['Unknown']) : last.city,
    loyalty_tier: change === 1 ? tier : last.loyalty_tier,
    marketing_opt_in: change === 2 ? !last.marketing_opt_in : last.marketing_opt_in,
    updated_at: at,
  };
}

const DAY = 86_400_000;

/**
 * Spend of each campaign on the UTC day that ends at or contains `at`, up to `at`, with the
 * clicks (sessions) it bought: at midnight the statement closes the day that just ended.
 */
export function spendRecords(campaigns: readonly GenCampaign[], clicksToday: ReadonlyMap<string, number>, at: number): CampaignSpend[] {
  const dayStart = Math.floor((at - 1) / DAY) * DAY;
  const share = (at - dayStart) / DAY;
  return campaigns.map((c) => {
    const clicks = clicksToday.get(c.campaignId) ?? 0;
    return {
      campaign_id: c.campaignId, campaign_name: c.name, channel: c.channel, day: dayStart / DAY,
      spend: centsToDecimal(Math.round(c.dailySpendUsdCents * share)), currency: 'USD', impressions: clicks * 37 + Math.round(share * 1000),
      clicks, utm_source: c.utmSource, utm_medium: c.utmMedium, utm_campaign: c.utmCampaign, updated_at: at, source: 'generator',
    };
  });
}
