/**
 * L2-regularised logistic regression with an intercept, fitted by Newton's method (IRLS). Features
 * are standardised with means and deviations of the training rows only, stored with the weights so
 * scoring applies exactly the training transformation. The intercept is not penalised.
 */
export interface LogisticModel {
  features: string[];
  means: number[];
  scales: number[];
  intercept: number;
  weights: number[];
  lambda: number;
}

export function fitLogistic(
  features: string[],
  rows: number[][],
  labels: number[],
  options: { lambda?: number; maxIterations?: number } = {},
): LogisticModel {
  const lambda = options.lambda ?? 1;
  const n = rows.length;
  const d = features.length;
  if (n === 0) throw new Error('logistic regression needs training rows');
  const means = new Array(d).fill(0);
  const scales = new Array(d).fill(0);
  for (const row of rows) for (let j = 0; j < d; j++) means[j] += row[j] / n;
  for (const row of rows) for (let j = 0; j < d; j++) scales[j] += (row[j] - means[j]) ** 2 / n;
  for (let j = 0; j < d; j++) scales[j] = Math.sqrt(scales[j]) || 1;
  const X = rows.map((row) => [1, ...row.map((v, j) => (v - means[j]) / scales[j])]);
  const w = new Array(d + 1).fill(0);
  for (let iter = 0; iter < (options.maxIterations ?? 50); iter++) {
    const grad = new Array(d + 1).fill(0);
    const hess = Array.from({ length: d + 1 }, () => new Array(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const xi = X[i];
      const p = sigmoid(dot(w, xi));
      const g = p - labels[i];
      const h = Math.max(p * (1 - p), 1e-10);
      for (let j = 0; j <= d; j++) {
        grad[j] += g * xi[j];
        for (let k = j; k <= d; k++) hess[j][k] += h * xi[j] * xi[k];
      }
    }
    for (let j = 0; j <= d; j++) for (let k = 0; k < j; k++) hess[j][k] = hess[k][j];
    for (let j = 1; j <= d; j++) {
      grad[j] += lambda * w[j];
      hess[j][j] += lambda;
    }
    const step = solve(hess, grad);
    let change = 0;
    for (let j = 0; j <= d; j++) {
      w[j] -= step[j];
      change = Math.max(change, Math.abs(step[j]));
    }
    if (change < 1e-8) break;
  }
  return { features, means, scales, intercept: w[0], weights: w.slice(1), lambda };
}

export function predictLogistic(model: LogisticModel, row: number[]): number {
  return sigmoid(model.intercept + contributions(model, row).reduce((s, v) => s + v, 0));
}

/** Each feature's term in the log-odds (weight × standardised value): what drove a prediction. */
export function contributions(model: LogisticModel, row: number[]): number[] {
  return model.weights.map((w, j) => (w * (row[j] - model.means[j])) / model.scales[j]);
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Gaussian elimination with partial pivoting; the L2 term keeps the system well conditioned. */
export function solve(A: number[][], y: number[]): number[] {
  const n = y.length;
  const M = A.map((row, i) => [...row, y[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(M[r][col]) > Math.abs(M[pivot][col])) pivot = r;
    [M[col], M[pivot]] = [M[pivot], M[col]];
    const p = M[col][col] || 1e-12;
    for (let r = col + 1; r < n; r++) {
      const f = M[r][col] / p;
      for (let c = col; c <= n; c++) M[r][c] -= f * M[col][c];
    }
  }
  const x = new Array(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let c = r + 1; c < n; c++) s -= M[r][c] * x[c];
    x[r] = s / (M[r][r] || 1e-12);
  }
  return x;
}
