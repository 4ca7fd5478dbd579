import { describe, expect, it } from 'vitest';
import { contributions, fitLogistic, predictLogistic, sigmoid } from './logistic.ts';
import { createRng } from './random.ts';

describe('L2 logistic regression', () => {
  it('recovers the coefficients of a known logistic model', () => {
    const rng = createRng(9);
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const x1 = rng.next() * 4 - 2;
      const x2 = rng.next() * 2 - 1;
      rows.push([x1, x2]);
      labels.push(rng.next() < sigmoid(-0.5 + 1.5 * x1 - 2 * x2) ? 1 : 0);
    }
    const model = fitLogistic(['x1', 'x2'], rows, labels, { lambda: 0.01 });
    // Weights are on the standardised scale: divide by the training deviation to compare.
    expect(model.weights[0] / model.scales[0]).toBeCloseTo(1.5, 1);
    expect(model.weights[1] / model.scales[1]).toBeCloseTo(-2, 1);
    expect(predictLogistic(model, [0, 0])).toBeCloseTo(sigmoid(-0.5), 1);
  });

  it('standardises with the training rows and shrinks weights as λ grows', () => {
    const rows = [[1], [2], [3], [4], [5], [6]];
    const labels = [0, 0, 1, 0, 1, 1];
    const loose = fitLogistic(['x'], rows, labels, { lambda: 0.001 });
    const tight = fitLogistic(['x'], rows, labels, { lambda: 100 });
    expect(loose.means).toEqual([3.5]);
    expect(loose.scales[0]).toBeCloseTo(Math.sqrt(17.5 / 6), 12);
    expect(Math.abs(tight.weights[0])).toBeLessThan(Math.abs(loose.weights[0]));
    // A later row is transformed with the stored training statistics, not its own.
    expect(contributions(loose, [3.5])[0]).toBeCloseTo(0, 12);
  });
});
