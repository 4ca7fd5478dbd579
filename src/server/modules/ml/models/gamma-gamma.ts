import { nelderMead } from './optimize.ts';
import { lgamma } from './special.ts';

/**
 * Gamma-Gamma spend model (Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value"): each
 * order value z ~ Gamma(p, ν) with ν ~ Gamma(q, γ) across customers, independent of purchase timing.
 * A customer is summarised by n orders with mean value m.
 */
export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface SpendSummary {
  n: number;
  mean: number;
}

/** ln f(m | p, q, γ, n): the density of the mean of n order values. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, c: SpendSummary): number {
  const { p, q, gamma } = params;
  const { n, mean } = c;
  return (
    lgamma(p * n + q) -
    lgamma(p * n) -
    lgamma(q) +
    q * Math.log(gamma) +
    (p * n - 1) * Math.log(mean) +
    p * n * Math.log(n) -
    (p * n + q) * Math.log(gamma + mean * n)
  );
}

export function fitGammaGamma(customers: SpendSummary[]): GammaGammaParams {
  const rows = customers.filter((c) => c.n > 0 && c.mean > 0);
  if (rows.length === 0) throw new Error('Gamma-Gamma needs customers with positive spend');
  const overall = rows.reduce((s, c) => s + c.mean, 0) / rows.length;
  // The gamma-function terms depend on n only: once per distinct n per evaluation (fast on large
  // customer bases); per customer only ln(γ + m·n) remains (ln m is precomputed).
  const ns = Int32Array.from(rows, (c) => c.n);
  const lnMean = Float64Array.from(rows, (c) => Math.log(c.mean));
  const sums = Float64Array.from(rows, (c) => c.mean * c.n);
  const distinct = [...new Set(ns)];
  const maxN = Math.max(...distinct);
  const byN = new Float64Array(maxN + 1);
  const objective = (v: number[]) => {
    const p = Math.exp(v[0]);
    const q = Math.exp(v[1]);
    const gamma = Math.exp(v[2]);
    const base = -lgamma(q) + q * Math.log(gamma);
    for (const n of distinct) byN[n] = base + lgamma(p * n + q) - lgamma(p * n) + p * n * Math.log(n);
    let ll = 0;
    for (let i = 0; i < ns.length; i++) {
      const pn = p * ns[i];
      ll += byN[ns[i]] + (pn - 1) * lnMean[i] - (pn + q) * Math.log(gamma + sums[i]);
    }
    return -ll / rows.length;
  };
  // Start at a spend-per-order Gamma(2, ·) with the overall mean, q = 3.
  let x0 = [Math.log(2), Math.log(3), Math.log((2 * overall) / 2)];
  for (let round = 0; round < 3; round++) {
    x0 = nelderMead(objective, x0, { maxIterations: 3000, tolerance: 1e-12, bound: 20 }).x;
  }
  return { p: Math.exp(x0[0]), q: Math.exp(x0[1]), gamma: Math.exp(x0[2]) };
}

/** E[Z | n, m]: the posterior expected value of this customer's next order. */
export function conditionalExpectedOrderValue(params: GammaGammaParams, c: SpendSummary): number {
  const { p, q, gamma } = params;
  if (q <= 1) return c.n > 0 ? c.mean : Number.NaN;
  return (p * (gamma + c.n * c.mean)) / (p * c.n + q - 1);
}
