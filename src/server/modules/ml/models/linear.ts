import { solve } from './logistic.ts';

/**
 * Ridge (L2) linear regression with an intercept, solved in closed form from the normal equations.
 * Features are standardised with the training rows' means and deviations, stored with the weights
 * (as in logistic.ts), and the intercept is not penalised.
 */
export interface LinearModel {
  features: string[];
  means: number[];
  scales: number[];
  intercept: number;
  weights: number[];
  lambda: number;
}

export function fitLinear(
  features: string[],
  rows: number[][],
  targets: number[],
  options: { lambda?: number } = {},
): LinearModel {
  const lambda = options.lambda ?? 1;
  const n = rows.length;
  const d = features.length;
  if (n === 0) throw new Error('linear regression needs training rows');
  const means = new Array(d).fill(0);
  const scales = new Array(d).fill(0);
  for (const row of rows) for (let j = 0; j < d; j++) means[j] += row[j] / n;
  for (const row of rows) for (let j = 0; j < d; j++) scales[j] += (row[j] - means[j]) ** 2 / n;
  for (let j = 0; j < d; j++) scales[j] = Math.sqrt(scales[j]) || 1;
  const A = Array.from({ length: d + 1 }, () => new Array(d + 1).fill(0));
  const b = new Array(d + 1).fill(0);
  const x = new Array(d + 1);
  for (let i = 0; i < n; i++) {
    x[0] = 1;
    for (let j = 0; j < d; j++) x[j + 1] = (rows[i][j] - means[j]) / scales[j];
    for (let j = 0; j <= d; j++) {
      b[j] += x[j] * targets[i];
      for (let k = j; k <= d; k++) A[j][k] += x[j] * x[k];
    }
  }
  for (let j = 0; j <= d; j++) for (let k = 0; k < j; k++) A[j][k] = A[k][j];
  for (let j = 1; j <= d; j++) A[j][j] += lambda;
  const w = solve(A, b);
  return { features, means, scales, intercept: w[0], weights: w.slice(1), lambda };
}

export function predictLinear(model: LinearModel, row: number[]): number {
  let s = model.intercept;
  for (let j = 0; j < model.weights.length; j++)
    s += (model.weights[j] * (row[j] - model.means[j])) / model.scales[j];
  return s;
}
