/**
 * Customer histories → features at a cutoff and labels after it. Features use only data strictly
 * before the cutoff; labels only (cutoff, cutoff + H]. Everything here is pure so the worker thread,
 * the CLI and the tests share exactly one definition.
 */

export const DAY_MS = 86_400_000;
/** Engagement counts look back this many days before the cutoff. */
export const ENGAGEMENT_WINDOW_DAYS = 30;
/** A customer needs an order and this many days since it before any number is shown. */
export const MIN_HISTORY_DAYS = 7;

export const EVENT_KINDS = ['view', 'search', 'favorite', 'cart_add', 'chat', 'checkout'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface CustomerHistory {
  userId: number;
  /** Closed orders sorted by time: [closedAt ms, totalCents]. */
  orders: Array<[number, number]>;
  /** Behaviour events sorted by time: [createdAt ms, index into EVENT_KINDS]. */
  events: Array<[number, number]>;
}

export const FEATURE_NAMES = [
  'recencyDays',
  'frequency',
  'monetaryCents',
  'tenureDays',
  'views',
  'searches',
  'favorites',
  'cartAdds',
  'abandonedCarts',
  'assistantUses',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type Features = Record<FeatureName, number>;

export interface CustomerFeatures {
  userId: number;
  eligible: boolean;
  reason: string | null;
  features: Features;
  /** BG/NBD summary in days: repeat purchases, time of the last one and time observed since the first. */
  rfm: { x: number; tx: number; T: number };
  orders: number;
  meanOrderCents: number;
  /** Orders with a positive amount and their mean: Gamma-Gamma's input (decision 152). */
  positiveOrders: number;
  meanPositiveOrderCents: number;
}

export function featuresAt(history: CustomerHistory, cutoff: number): CustomerFeatures {
  let n = 0;
  let first = 0;
  let last = 0;
  let total = 0;
  let positive = 0;
  for (const [at, cents] of history.orders) {
    if (at >= cutoff) break;
    if (n === 0) first = at;
    last = at;
    total += cents;
    n++;
    if (cents > 0) positive++;
  }
  const from = cutoff - ENGAGEMENT_WINDOW_DAYS * DAY_MS;
  const counts = new Array(EVENT_KINDS.length).fill(0);
  const cartDays = new Set<number>();
  const checkoutDays = new Set<number>();
  for (const [at, kind] of history.events) {
    if (at >= cutoff) break;
    if (at < from) continue;
    counts[kind]++;
    const day = Math.floor(at / DAY_MS);
    if (EVENT_KINDS[kind] === 'cart_add') cartDays.add(day);
    if (EVENT_KINDS[kind] === 'checkout') checkoutDays.add(day);
  }
  for (const [at] of history.orders) {
    if (at >= cutoff) break;
    if (at >= from) checkoutDays.add(Math.floor(at / DAY_MS));
  }
  let abandoned = 0;
  for (const day of cartDays) if (!checkoutDays.has(day)) abandoned++;
  const tenureDays = n ? (cutoff - first) / DAY_MS : 0;
  const features: Features = {
    recencyDays: n ? (cutoff - last) / DAY_MS : 0,
    frequency: Math.max(0, n - 1),
    monetaryCents: n ? total / n : 0,
    tenureDays,
    views: counts[0],
    searches: counts[1],
    favorites: counts[2],
    cartAdds: counts[3],
    abandonedCarts: abandoned,
    assistantUses: counts[4],
  };
  const reason =
    n === 0
      ? 'no closed orders yet'
      : tenureDays < MIN_HISTORY_DAYS
        ? `first order less than ${MIN_HISTORY_DAYS} days ago`
        : null;
  return {
    userId: history.userId,
    eligible: reason === null,
    reason,
    features,
    rfm: { x: Math.max(0, n - 1), tx: n ? (last - first) / DAY_MS : 0, T: tenureDays },
    orders: n,
    meanOrderCents: n ? total / n : 0,
    positiveOrders: positive,
    meanPositiveOrderCents: positive ? total / positive : 0,
  };
}

export interface Labels {
  orders: number;
  spendCents: number;
  churned: number;
}

/** What happened in (cutoff, cutoff + horizon]. */
export function labelsAfter(history: CustomerHistory, cutoff: number, horizonDays: number): Labels {
  const end = cutoff + horizonDays * DAY_MS;
  let orders = 0;
  let spendCents = 0;
  for (const [at, cents] of history.orders) {
    if (at <= cutoff) continue;
    if (at > end) break;
    orders++;
    spendCents += cents;
  }
  return { orders, spendCents, churned: orders === 0 ? 1 : 0 };
}

/** The logistic model's inputs: counts and money on a log scale, times in days. */
export function logisticRow(f: Features): number[] {
  return FEATURE_NAMES.map((name) =>
    name === 'recencyDays' || name === 'tenureDays' ? f[name] : Math.log1p(f[name]),
  );
}
