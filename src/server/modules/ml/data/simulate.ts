import { DAY_MS, EVENT_KINDS } from '../features.ts';
import { createRng } from '../models/random.ts';

/**
 * The generative process behind `cartwise simulate` (decision 044). Every customer follows BG/NBD
 * with known parameters (rates λ ~ Gamma(r, α) per day, dropout p ~ Beta(a, b) after each
 * purchase), spends per Gamma-Gamma (order value ~ Gamma(p, ν), ν ~ Gamma(q, γ), dollars), and
 * browses at rates tied to λ while active and barely at all after dropping out. A share of sign-ups
 * never buys. Because the truth is known, tests can check that the models recover it.
 */
export interface SimulationParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
  spendP: number;
  spendQ: number;
  spendGamma: number;
  /** Share of sign-ups who only browse. */
  browseOnlyShare: number;
}

export const DEFAULT_SIMULATION: SimulationParams = {
  r: 0.75,
  alpha: 30,
  a: 0.9,
  b: 4,
  spendP: 6,
  spendQ: 4,
  spendGamma: 15,
  browseOnlyShare: 0.1,
};

export interface SimulatedCustomer {
  index: number;
  joinedAt: number;
  /** [time ms, dollars] */
  orders: Array<[number, number]>;
  /** [time ms, index into EVENT_KINDS]; checkouts included, sorted. */
  events: Array<[number, number]>;
  lambda: number;
  dropout: number;
}

const kind = (k: (typeof EVENT_KINDS)[number]) => EVENT_KINDS.indexOf(k);

/** Per unit of λ while active (events per purchase, roughly), and a stray rate per day when lapsed. */
const BROWSING: Array<[number, number, number]> = [
  [kind('view'), 5, 0.01],
  [kind('search'), 2, 0.003],
  [kind('favorite'), 0.4, 0.0005],
  [kind('cart_add'), 0.8, 0.0005],
  [kind('chat'), 0.3, 0.0005],
];

export function* simulateCustomers(options: {
  customers: number;
  days: number;
  seed: number;
  end: number;
  params?: SimulationParams;
  /** Everyone joins within this many days of the start (a cohort, as in CDNOW); default: any day. */
  joinWithinDays?: number;
}): Generator<SimulatedCustomer> {
  const params = options.params ?? DEFAULT_SIMULATION;
  const rng = createRng(options.seed);
  const start = options.end - options.days * DAY_MS;
  for (let index = 0; index < options.customers; index++) {
    const joinSpan = Math.min(options.days, options.joinWithinDays ?? options.days) * DAY_MS;
    const joinedAt = start + rng.next() * joinSpan;
    const lambda = rng.gamma(params.r, params.alpha);
    const dropout = rng.beta(params.a, params.b);
    const nu = rng.gamma(params.spendQ, params.spendGamma);
    const orders: Array<[number, number]> = [];
    const events: Array<[number, number]> = [];
    let activeUntil = joinedAt;
    if (rng.next() >= params.browseOnlyShare) {
      // As in BG/NBD, a customer may drop out right after a repeat purchase, never after the first.
      let t = joinedAt;
      const spend = () => Math.max(1, Math.round(rng.gamma(params.spendP, nu) * 100) / 100);
      orders.push([Math.round(t), spend()]);
      activeUntil = options.end;
      for (;;) {
        t += rng.exponential(lambda) * DAY_MS;
        if (t >= options.end) break;
        orders.push([Math.round(t), spend()]);
        if (rng.next() < dropout) {
          activeUntil = t;
          break;
        }
      }
    } else {
      activeUntil = Math.min(options.end, joinedAt + rng.exponential(1 / 20) * DAY_MS);
    }
    const scatter = (type: number, count: number, from: number, to: number) => {
      for (let i = 0; i < count; i++) events.push([Math.round(from + rng.next() * (to - from)), type]);
    };
    const activeDays = (activeUntil - joinedAt) / DAY_MS;
    const lapsedDays = (options.end - activeUntil) / DAY_MS;
    const browsingRate = Math.max(lambda, 0.01);
    for (const [type, perLambda, stray] of BROWSING) {
      scatter(type, rng.poisson(perLambda * browsingRate * activeDays), joinedAt, activeUntil);
      scatter(type, rng.poisson(stray * lapsedDays), activeUntil, options.end);
    }
    for (const [at] of orders) {
      events.push([at - 60_000, kind('view')], [at - 30_000, kind('cart_add')], [at, kind('checkout')]);
    }
    events.sort((x, y) => x[0] - y[0]);
    yield { index, joinedAt: Math.round(joinedAt), orders, events, lambda, dropout };
  }
}
