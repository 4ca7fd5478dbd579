import { describe, expect, it } from 'vitest';
import { conditionalExpectedOrderValue, fitGammaGamma, gammaGammaLogLikelihood } from './gamma-gamma.ts';
import { createRng } from './random.ts';
import { lgamma } from './special.ts';

function simpson(f: (x: number) => number, lo: number, hi: number, n = 20000): number {
  const h = (hi - lo) / n;
  let s = f(lo) + f(hi);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(lo + i * h);
  return (s * h) / 3;
}

const gammaPdf = (x: number, shape: number, rate: number) =>
  Math.exp(shape * Math.log(rate) + (shape - 1) * Math.log(x) - rate * x - lgamma(shape));

describe('Gamma-Gamma', () => {
  const params = { p: 6.25, q: 3.74, gamma: 15.44 }; // Fader & Hardie (2013), CDNOW
  const c = { n: 3, mean: 35 };

  it('log-likelihood equals the mixture integrated numerically over ν', () => {
    // Given ν the mean of n values is Gamma(np, nν); ν ~ Gamma(q, γ).
    const density = simpson(
      (nu) =>
        nu <= 0 ? 0 : gammaPdf(c.mean, params.p * c.n, c.n * nu) * gammaPdf(nu, params.q, params.gamma),
      0,
      5,
    );
    expect(gammaGammaLogLikelihood(params, c)).toBeCloseTo(Math.log(density), 6);
  });

  it('conditional expected order value is the posterior mean of p / ν', () => {
    // Posterior ν | n, m ~ Gamma(q + np, γ + n·m); E[p / ν] numerically.
    const shape = params.q + params.p * c.n;
    const rate = params.gamma + c.n * c.mean;
    const expected = simpson((nu) => (nu <= 0 ? 0 : (params.p / nu) * gammaPdf(nu, shape, rate)), 0, 5);
    expect(conditionalExpectedOrderValue(params, c)).toBeCloseTo(expected, 4);
    // With no history it falls back to the population mean pγ / (q − 1).
    expect(conditionalExpectedOrderValue(params, { n: 0, mean: 0 })).toBeCloseTo(
      (params.p * params.gamma) / (params.q - 1),
      10,
    );
  });

  it('fits simulated spend: the implied population mean order value within 10 %', () => {
    const rng = createRng(3);
    const customers = Array.from({ length: 3000 }, () => {
      const nu = rng.gamma(params.q, params.gamma);
      const n = 1 + rng.int(6);
      let total = 0;
      for (let i = 0; i < n; i++) total += rng.gamma(params.p, nu);
      return { n, mean: total / n };
    });
    const fit = fitGammaGamma(customers);
    const truth = (params.p * params.gamma) / (params.q - 1);
    expect(Math.abs((fit.p * fit.gamma) / (fit.q - 1) / truth - 1)).toBeLessThan(0.1);
    const atFit = customers.reduce((s, x) => s + gammaGammaLogLikelihood(fit, x), 0);
    const atTruth = customers.reduce((s, x) => s + gammaGammaLogLikelihood(params, x), 0);
    expect(atFit).toBeGreaterThanOrEqual(atTruth);
  });
});
