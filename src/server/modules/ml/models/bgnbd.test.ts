import { describe, expect, it } from 'vitest';
import {
  bgnbdLogLikelihood,
  conditionalExpectedTransactions,
  expectedTransactions,
  fitBgNbd,
  probabilityAlive,
  probabilityNoPurchase,
} from './bgnbd.ts';
import { featuresAt } from '../features.ts';
import { DEFAULT_SIMULATION, simulateCustomers } from '../data/simulate.ts';
import { lbeta, lgamma } from './special.ts';

// The CDNOW estimates reported by Fader, Hardie & Lee (2005), in weeks.
const CDNOW = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

/** Simpson's rule on [lo, hi] with n (even) intervals. */
function simpson(f: (x: number) => number, lo: number, hi: number, n = 2000): number {
  const h = (hi - lo) / n;
  let s = f(lo) + f(hi);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(lo + i * h);
  return (s * h) / 3;
}

/**
 * The individual-level likelihood integrated over the Gamma and Beta mixing distributions
 * numerically. λ: substitution λ = u^(1/r) turns λ^(r−1) dλ into du/r (smooth near 0).
 * p: substitution p = v^(1/a) likewise. Returns [alive term, dropped term].
 */
function numericLikelihoodTerms(params: typeof CDNOW, x: number, tx: number, T: number): [number, number] {
  const { r, alpha, a, b } = params;
  const lambdaIntegral = (time: number) =>
    simpson(
      (u) => {
        const lambda = u ** (1 / r);
        return (
          (lambda ** x * Math.exp(-lambda * time) * Math.exp(-alpha * lambda) * alpha ** r) /
          (r * Math.exp(lgamma(r)))
        );
      },
      0,
      (60 / alpha) ** r,
      4000,
    );
  const pIntegral = (g: (p: number) => number) =>
    simpson(
      (v) => {
        const p = v ** (1 / a);
        return (g(p) * (1 - p) ** (b - 1)) / (a * Math.exp(lbeta(a, b)));
      },
      0,
      1,
      4000,
    );
  const alive = pIntegral((p) => (1 - p) ** x) * lambdaIntegral(T);
  const dropped = x > 0 ? pIntegral((p) => p * (1 - p) ** (x - 1)) * lambdaIntegral(tx) : 0;
  return [alive, dropped];
}

describe('BG/NBD', () => {
  const cases = [
    { x: 0, tx: 0, T: 38.86 },
    { x: 2, tx: 30.43, T: 38.86 },
    { x: 7, tx: 35, T: 38.86 },
    { x: 1, tx: 2, T: 30 },
  ];

  it('log-likelihood equals the numerically integrated individual likelihood (CDNOW parameters)', () => {
    for (const c of cases) {
      const [alive, dropped] = numericLikelihoodTerms(CDNOW, c.x, c.tx, c.T);
      expect(bgnbdLogLikelihood(CDNOW, c)).toBeCloseTo(Math.log(alive + dropped), 4);
    }
  });

  it('P(alive) is the posterior share of the alive term', () => {
    for (const c of cases) {
      const [alive, dropped] = numericLikelihoodTerms(CDNOW, c.x, c.tx, c.T);
      expect(probabilityAlive(CDNOW, c)).toBeCloseTo(alive / (alive + dropped), 5);
    }
    expect(probabilityAlive(CDNOW, { x: 0, tx: 0, T: 10 })).toBe(1);
  });

  it('conditional expectation equals P(alive) × E[(1 − e^(−λpt)) / p] over the alive posterior', () => {
    // Given alive: λ ~ Gamma(r + x, α + T), p ~ Beta(a, b + x), independent. E over λ is closed
    // form; E over p is integrated numerically.
    for (const c of cases) {
      const t = 39;
      const { r, alpha, a, b } = CDNOW;
      const inner = (p: number) => (1 - ((alpha + c.T) / (alpha + c.T + p * t)) ** (r + c.x)) / p;
      // p = e^(−s) makes the Beta(a, b + x) integrand smooth at p → 0.
      const overP = simpson(
        (s) => {
          const p = Math.exp(-s);
          return (inner(p) * p ** a * (-Math.expm1(-s)) ** (b + c.x - 1)) / Math.exp(lbeta(a, b + c.x));
        },
        0,
        60,
        40000,
      );
      const expected = probabilityAlive(CDNOW, c) * overP;
      expect(conditionalExpectedTransactions(CDNOW, c, t)).toBeCloseTo(expected, 6);
    }
  });

  it('unconditional expectation is 0 at t = 0 and grows with t', () => {
    expect(expectedTransactions(CDNOW, 0)).toBeCloseTo(0, 12);
    expect(expectedTransactions(CDNOW, 52)).toBeGreaterThan(expectedTransactions(CDNOW, 26));
  });

  it('P(no purchase) combines dropout and the Poisson gap', () => {
    const c = { x: 3, tx: 20, T: 38.86 };
    const alive = probabilityAlive(CDNOW, c);
    // λ | alive ~ Gamma(r + x, α + T): P(no purchase in t) = E[e^(−λt)], integrated numerically.
    const shape = CDNOW.r + c.x;
    const rate = CDNOW.alpha + c.T;
    const none = simpson(
      (l) =>
        Math.exp(-l * 10) *
        Math.exp(
          shape * Math.log(rate) + (shape - 1) * Math.log(Math.max(l, 1e-300)) - rate * l - lgamma(shape),
        ),
      0,
      3,
      20000,
    );
    expect(probabilityNoPurchase(CDNOW, c, 10)).toBeCloseTo(1 - alive + alive * none, 6);
  });

  it('recovers the generating parameters from simulated customers within 15 %', () => {
    const end = Date.UTC(2026, 0, 1);
    const params = { ...DEFAULT_SIMULATION, browseOnlyShare: 0 };
    const rfm = [...simulateCustomers({ customers: 6000, days: 730, seed: 11, end, params })].map(
      (c) => featuresAt({ userId: c.index, orders: c.orders, events: [] }, end).rfm,
    );
    const fit = fitBgNbd(rfm);
    expect(Math.abs(fit.r / params.r - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.alpha / params.alpha - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.a / params.a - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.b / params.b - 1)).toBeLessThan(0.15);
  });
});
