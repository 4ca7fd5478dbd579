import { describe, expect, it } from 'vitest';
import { hyp2f1, lbeta, lgamma, logSumExp } from './special.ts';

describe('special functions', () => {
  it('lgamma matches known values', () => {
    expect(lgamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(lgamma(1)).toBeCloseTo(0, 12);
    expect(lgamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lgamma(10)).toBeCloseTo(Math.log(362880), 10);
    expect(lgamma(0.1)).toBeCloseTo(2.252712651734206, 10);
    expect(lbeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 12);
  });

  it('hyp2f1 matches closed forms', () => {
    for (const z of [0.1, 0.5, 0.9]) {
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 10);
      expect(hyp2f1(2.5, 1.3, 1.3, z)).toBeCloseTo((1 - z) ** -2.5, 8);
    }
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
  });

  it('logSumExp is stable', () => {
    expect(logSumExp(-1000, -1000)).toBeCloseTo(-1000 + Math.log(2), 10);
    expect(logSumExp(-Infinity, 3)).toBe(3);
  });
});
