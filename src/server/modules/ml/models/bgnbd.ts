import { nelderMead } from './optimize.ts';
import { hyp2f1, lbeta, lgamma, logSumExp } from './special.ts';

/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way", Marketing Science 24(2)).
 * While alive a customer buys at Poisson rate λ ~ Gamma(r, α); after each purchase they drop out
 * with probability p ~ Beta(a, b). A customer's summary: x repeat purchases, tx the time of the last
 * one and T the time observed, both measured from the first purchase (in days here).
 * Formulas are in docs/decisions/041-bgnbd-gamma-gamma.md.
 */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface RfmSummary {
  x: number;
  tx: number;
  T: number;
}

/** ln L(r, α, a, b | x, tx, T), equation (6) of the paper. */
export function bgnbdLogLikelihood(params: BgNbdParams, c: RfmSummary): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = c;
  const a1 = lgamma(r + x) - lgamma(r) + r * Math.log(alpha);
  const a2 = lbeta(a, b + x) - lbeta(a, b);
  const a3 = -(r + x) * Math.log(alpha + T);
  const a4 = x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx) : -Infinity;
  return a1 + a2 + logSumExp(a3, a4);
}

/** Maximum likelihood on log-parameters by Nelder–Mead (bounded to e^±12), restarted once. */
export function fitBgNbd(customers: RfmSummary[], start?: BgNbdParams): BgNbdParams {
  if (customers.length === 0) throw new Error('BG/NBD needs at least one customer');
  // Every term that depends on the parameters and x only (the gamma and beta functions) is
  // computed once per distinct x per evaluation; per customer only two logarithms remain, which
  // keeps the fit fast on tens of thousands of customers.
  const n = customers.length;
  const xs = new Int32Array(n);
  const txs = new Float64Array(n);
  const Ts = new Float64Array(n);
  let maxX = 0;
  customers.forEach((c, i) => {
    xs[i] = c.x;
    txs[i] = c.tx;
    Ts[i] = c.T;
    maxX = Math.max(maxX, c.x);
  });
  const distinct = [...new Set(customers.map((c) => c.x))];
  const A = new Float64Array(maxX + 1);
  const B = new Float64Array(maxX + 1);
  const meanT = customers.reduce((sum, c) => sum + c.T, 0) / n;
  const s = start ?? { r: 1, alpha: Math.max(1, meanT / 4), a: 1, b: 3 };
  const objective = (v: number[]) => {
    const r = Math.exp(v[0]);
    const alpha = Math.exp(v[1]);
    const a = Math.exp(v[2]);
    const b = Math.exp(v[3]);
    const base = r * Math.log(alpha) - lgamma(r) - lbeta(a, b);
    for (const x of distinct) {
      A[x] = base + lgamma(r + x) + lbeta(a, b + x);
      B[x] = x > 0 ? Math.log(a) - Math.log(b + x - 1) : -Infinity;
    }
    let ll = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      const a3 = -(r + x) * Math.log(alpha + Ts[i]);
      const a4 = x > 0 ? B[x] - (r + x) * Math.log(alpha + txs[i]) : -Infinity;
      ll += A[x] + logSumExp(a3, a4);
    }
    return -ll / n;
  };
  let x0 = [Math.log(s.r), Math.log(s.alpha), Math.log(s.a), Math.log(s.b)];
  for (let round = 0; round < 3; round++) {
    x0 = nelderMead(objective, x0, { maxIterations: 3000, tolerance: 1e-12, bound: 12 }).x;
  }
  return { r: Math.exp(x0[0]), alpha: Math.exp(x0[1]), a: Math.exp(x0[2]), b: Math.exp(x0[3]) };
}

/** P(alive | x, tx, T), equation (13). */
export function probabilityAlive(params: BgNbdParams, c: RfmSummary): number {
  if (c.x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logRatio =
    Math.log(a) - Math.log(b + c.x - 1) + (r + c.x) * (Math.log(alpha + c.T) - Math.log(alpha + c.tx));
  return 1 / (1 + Math.exp(logRatio));
}

/** E[Y(t) | x, tx, T]: expected purchases in the next t days, equation (10). */
export function conditionalExpectedTransactions(params: BgNbdParams, c: RfmSummary, t: number): number {
  const { r, alpha, a, b } = params;
  const { x, T } = c;
  const z = t / (alpha + T + t);
  const head = (a + b + x - 1) / (a - 1);
  const tail = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z);
  return head * tail * probabilityAlive(params, c);
}

/** E[X(t)] for a customer who just made a first purchase, equation (9). */
export function expectedTransactions(params: BgNbdParams, t: number): number {
  return conditionalExpectedTransactions(params, { x: 0, tx: 0, T: 0 }, t);
}

/**
 * P(no purchase in (T, T + t] | x, tx, T). A dropout happens right after a purchase, so a customer
 * alive at T buys nothing with probability E[e^(−λt)] under λ | alive ~ Gamma(r + x, α + T).
 */
export function probabilityNoPurchase(params: BgNbdParams, c: RfmSummary, t: number): number {
  const alive = probabilityAlive(params, c);
  const { r, alpha } = params;
  return 1 - alive + alive * ((alpha + c.T) / (alpha + c.T + t)) ** (r + c.x);
}

/** Median days until the next purchase for an alive customer (λ | alive ~ Gamma(r + x, α + T)). */
export function medianDaysToNextPurchase(params: BgNbdParams, c: RfmSummary): number {
  return (params.alpha + c.T) * (2 ** (1 / (params.r + c.x)) - 1);
}
