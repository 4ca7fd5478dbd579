import { describe, expect, it } from 'vitest';
import { bias, brier, calibrationTable, mae, prAuc, rmse, rocAuc } from './metrics.ts';

describe('metrics', () => {
  it('ROC-AUC counts correctly ordered pairs, ties as half', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(rocAuc([0.5, 0.5], [0, 1])).toBeCloseTo(0.5, 12);
    expect(rocAuc([0.1, 0.9], [0, 1])).toBe(1);
    expect(rocAuc([0.1, 0.9], [1, 1])).toBeNaN();
  });

  it('PR-AUC is average precision', () => {
    // Ranked: 0.8 (1), 0.4 (0), 0.35 (1), 0.1 (0): AP = ½·1 + ½·⅔.
    expect(prAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.5 + 1 / 3, 12);
  });

  it('Brier, calibration, MAE, RMSE and bias', () => {
    expect(brier([0.2, 0.9], [0, 1])).toBeCloseTo((0.04 + 0.01) / 2, 12);
    const table = calibrationTable([0.05, 0.07, 0.95, 1], [0, 1, 1, 1]);
    expect(table).toHaveLength(10);
    expect(table[0]).toMatchObject({ count: 2, observedRate: 0.5 });
    expect(table[0].meanPredicted).toBeCloseTo(0.06, 12);
    expect(table[9]).toMatchObject({ count: 2, observedRate: 1 });
    expect(table[5].meanPredicted).toBeNull();
    expect(mae([1, 2, 3], [1, 4, 0])).toBeCloseTo(5 / 3, 12);
    expect(rmse([1, 2, 3], [1, 4, 0])).toBeCloseTo(Math.sqrt(13 / 3), 12);
    expect(bias([2, 2], [1, 3])).toBe(0);
    expect(bias([3, 3], [1, 3])).toBeCloseTo(0.5, 12);
  });
});
