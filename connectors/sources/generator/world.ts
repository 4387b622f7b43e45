import { Prng } from './prng.ts';
import { ZipfSampler } from './zipf.ts';

/**
 * The static world a generator run lives in: a product catalog with REES46-style
 * categories and brands (ranked by popularity), marketing channels with their campaigns,
 * and the countries users come from with their currencies. Built from the seed alone.
 */
export interface GenProduct {
  readonly productId: string;
  readonly name: string;
  readonly categoryId: string;
  readonly categoryCode: string;
  readonly brand: string | null;
  /** List price in US cents. */
  readonly priceUsdCents: number;
  readonly sellerId: string;
}

export interface GenCampaign {
  readonly campaignId: string;
  readonly name: string;
  readonly channel: string;
  readonly utmSource: string;
  readonly utmMedium: string;
  readonly utmCampaign: string;
  /** Typical spend per day in US cents. */
  readonly dailySpendUsdCents: number;
}

export interface World {
  /** Products by popularity rank: products[0] is the most viewed. */
  readonly products: readonly GenProduct[];
  /** Indexes into `products` per category code, most popular first. */
  readonly byCategory: ReadonlyMap<string, readonly number[]>;
  readonly popularity: ZipfSampler;
  readonly campaigns: readonly GenCampaign[];
  readonly campaignsByChannel: ReadonlyMap<string, readonly GenCampaign[]>;
}

/** [category code, REES46-style category id, median price in USD, brands]. */
const CATEGORIES: readonly (readonly [string, string, number, readonly string[]])[] = [
  ['electronics.smartphone', '2053013555631882655', 320, ['samsung', 'apple', 'xiaomi', 'huawei', 'oppo']],
  ['electronics.audio.headphone', '2053013554658804075', 45, ['sony', 'jbl', 'apple', 'samsung']],
  ['electronics.video.tv', '2053013554415534427', 420, ['samsung', 'lg', 'sony', 'philips']],
  ['computers.notebook', '2053013558920217191', 690, ['lenovo', 'hp', 'asus', 'acer', 'apple']],
  ['appliances.kitchen.washer', '2053013563810775923', 380, ['bosch', 'samsung', 'lg', 'indesit']],
  ['appliances.environment.vacuum', '2053013565983425517', 130, ['samsung', 'philips', 'dyson', 'bosch']],
  ['apparel.shoes', '2053013553559896355', 65, ['nike', 'adidas', 'puma', 'reebok']],
  ['apparel.trousers', '2053013553341792533', 38, ['levis', 'zara', 'mango']],
  ['furniture.living_room.sofa', '2053013559792632471', 540, ['ikea', 'brw']],
  ['kids.toys', '2053013555220840867', 22, ['lego', 'mattel', 'hasbro']],
  ['sport.bicycle', '2053013557225523479', 290, ['trek', 'giant', 'merida']],
  ['construction.tools.drill', '2053013555389579681', 85, ['bosch', 'makita', 'dewalt']],
  ['accessories.bag', '2053013561218842599', 48, [] as string[]],
  ['beauty.cosmetics', '2103807459595387724', 18, ['shiseido', 'loreal', 'nivea']],
];

/** [channel, share of sessions, conversion boost]. */
export const CHANNELS: readonly (readonly [string, number, number])[] = [
  ['direct', 0.3, 1.2],
  ['organic_search', 0.25, 1.0],
  ['paid_search', 0.15, 1.1],
  ['social', 0.12, 0.6],
  ['email', 0.08, 1.6],
  ['affiliate', 0.05, 0.9],
  ['display', 0.05, 0.5],
];

const CAMPAIGN_CHANNELS: readonly (readonly [string, string, string])[] = [
  ['paid_search', 'google', 'cpc'],
  ['social', 'facebook', 'paid_social'],
  ['email', 'newsletter', 'email'],
  ['affiliate', 'partner', 'affiliate'],
  ['display', 'dv360', 'display'],
];

/** Products in a generated catalog unless told otherwise. */
export const DEFAULT_PRODUCTS = 2000;

export function buildWorld(seed: number, opts: { products?: number; campaignsPerChannel?: number } = {}): World {
  const prng = new Prng(seed, 'world');
  const count = opts.products ?? DEFAULT_PRODUCTS;
  const products: GenProduct[] = [];
  for (let i = 0; i < count; i++) {
    const [code, categoryId, median, brands] = prng.pick(CATEGORIES);
    const brand = brands.length > 0 && !prng.chance(0.12) ? prng.pick(brands) : null;
    const price = Math.max(99, Math.round(prng.logNormal(median, 0.45) * 100));
    const productId = String(1_000_000 + i * 7919 + prng.int(7919));
    const noun = code.slice(code.lastIndexOf('.') + 1).replace(/_/g, ' ');
    products.push({ productId, name: `${brand ?? 'generic'} ${noun} ${productId.slice(-4)}`, categoryId, categoryCode: code, brand, priceUsdCents: price, sellerId: `seller-${1 + prng.int(60)}` });
  }
  const byCategory = new Map<string, number[]>();
  products.forEach((p, i) => {
    const list = byCategory.get(p.categoryCode) ?? [];
    list.push(i);
    byCategory.set(p.categoryCode, list);
  });
  const campaigns: GenCampaign[] = [];
  const perChannel = opts.campaignsPerChannel ?? 3;
  for (const [channel, source, medium] of CAMPAIGN_CHANNELS) {
    for (let k = 1; k <= perChannel; k++) {
      const slug = `${channel}-${['spring', 'summer', 'autumn', 'winter', 'brand', 'retarget'][prng.int(6)]}-${k}`;
      campaigns.push({ campaignId: `cmp-${slug}`, name: slug.replace(/-/g, ' '), channel, utmSource: source, utmMedium: medium, utmCampaign: slug, dailySpendUsdCents: 20_000 + prng.int(400_000) });
    }
  }
  const campaignsByChannel = new Map<string, GenCampaign[]>();
  for (const c of campaigns) campaignsByChannel.set(c.channel, [...(campaignsByChannel.get(c.channel) ?? []), c]);
  return { products, byCategory, popularity: new ZipfSampler(count), campaigns, campaignsByChannel };
}
