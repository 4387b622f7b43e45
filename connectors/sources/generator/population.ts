import { COUNTRIES } from './money.ts';
import type { Prng } from './prng.ts';

/**
 * The users of the site. A session belongs to a returning user with probability
 * `returningShare` (heavier users return more often: the pick is biased towards the
 * oldest users), otherwise to a new one. A user becomes a registered customer (gets a
 * `customerId`) when signing up or at the first purchase; guests have none.
 */
export interface GenUser {
  readonly userId: number;
  readonly country: string;
  readonly currency: string;
  readonly device: string;
  readonly os: string;
  customerId: number | null;
  /** When the user became a customer (sessions simulated ahead may run earlier than that). */
  customerSince: number;
  sessions: number;
  orders: number;
}

const DEVICES: readonly (readonly [readonly [string, string], number])[] = [
  [['desktop', 'windows'], 0.3],
  [['desktop', 'macos'], 0.12],
  [['mobile', 'android'], 0.3],
  [['mobile', 'ios'], 0.18],
  [['tablet', 'ios'], 0.04],
  [['app', 'android'], 0.06],
];

export const FIRST_USER_ID = 512_000_000;
export const FIRST_CUSTOMER_ID = 100_001;

export class Population {
  readonly users: GenUser[] = [];
  private customers = 0;

  constructor(
    private readonly prng: Prng,
    private readonly returningShare = 0.45,
    private readonly signupShare = 0.25,
  ) {}

  /** The user of a session starting at `at`, and whether it signed up just now (so needs a profile). */
  nextSessionUser(at: number): { user: GenUser; signedUp: boolean } {
    let user: GenUser;
    if (this.users.length > 0 && this.prng.chance(this.returningShare)) {
      const u = this.prng.float();
      user = this.users[Math.floor(u * u * this.users.length)] as GenUser;
    } else {
      const [country, currency] = this.prng.weighted(COUNTRIES.map((c) => [[c[0], c[1]] as const, c[2]] as const));
      const [device, os] = this.prng.weighted(DEVICES);
      user = { userId: FIRST_USER_ID + this.users.length, country, currency, device, os, customerId: null, customerSince: Infinity, sessions: 0, orders: 0 };
      const signedUp = this.prng.chance(this.signupShare);
      if (signedUp) this.register(user, at);
      this.users.push(user);
      user.sessions++;
      return { user, signedUp };
    }
    user.sessions++;
    return { user, signedUp: false };
  }

  /** Makes the user a customer at `at` if not yet one; returns the customer id. */
  register(user: GenUser, at: number): number {
    if (user.customerId === null) {
      user.customerId = FIRST_CUSTOMER_ID + this.customers++;
      user.customerSince = at;
    }
    return user.customerId;
  }
}
