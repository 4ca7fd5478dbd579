/** Evaluation metrics; every number the product shows comes from these on held-out labels. */

/** ROC-AUC as the Mann–Whitney U statistic, ties counted half. NaN without both classes. */
export function rocAuc(scores: number[], labels: number[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]] === 1) {
        positives++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** PR-AUC as average precision (the step-wise area scikit-learn reports). */
export function prAuc(scores: number[], labels: number[]): number {
  const positives = labels.reduce((s, l) => s + l, 0);
  if (positives === 0) return Number.NaN;
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let tp = 0;
  let fp = 0;
  let ap = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    let tpStep = 0;
    while (j < order.length && scores[order[j]] === scores[order[i]]) {
      if (labels[order[j]] === 1) tpStep++;
      else fp++;
      j++;
    }
    tp += tpStep;
    ap += (tpStep / positives) * (tp / (tp + fp));
    i = j;
  }
  return ap;
}

export function brier(probabilities: number[], labels: number[]): number {
  return mean(probabilities.map((p, i) => (p - labels[i]) ** 2));
}

export interface CalibrationBin {
  from: number;
  to: number;
  count: number;
  meanPredicted: number | null;
  observedRate: number | null;
}

/** Ten equal-width bins of predicted probability with the observed rate in each. */
export function calibrationTable(probabilities: number[], labels: number[], bins = 10): CalibrationBin[] {
  const table = Array.from({ length: bins }, (_, i) => ({
    from: i / bins,
    to: (i + 1) / bins,
    n: 0,
    p: 0,
    y: 0,
  }));
  probabilities.forEach((p, i) => {
    const bin = table[Math.min(bins - 1, Math.floor(p * bins))];
    bin.n++;
    bin.p += p;
    bin.y += labels[i];
  });
  return table.map((b) => ({
    from: b.from,
    to: b.to,
    count: b.n,
    meanPredicted: b.n ? b.p / b.n : null,
    observedRate: b.n ? b.y / b.n : null,
  }));
}

export function mae(predicted: number[], actual: number[]): number {
  return mean(predicted.map((p, i) => Math.abs(p - actual[i])));
}

export function rmse(predicted: number[], actual: number[]): number {
  return Math.sqrt(mean(predicted.map((p, i) => (p - actual[i]) ** 2)));
}

/** Aggregate bias: (Σ predicted − Σ actual) / Σ actual; 0 is unbiased, +0.1 over-predicts by 10 %. */
export function bias(predicted: number[], actual: number[]): number {
  const a = actual.reduce((s, v) => s + v, 0);
  const p = predicted.reduce((s, v) => s + v, 0);
  return a === 0 ? (p === 0 ? 0 : Number.POSITIVE_INFINITY) : (p - a) / a;
}

export interface ChurnMetrics {
  customers: number;
  churnRate: number;
  rocAuc: number | null;
  prAuc: number | null;
  brier: number;
  calibration: CalibrationBin[];
}

export function churnMetrics(probabilities: number[], labels: number[]): ChurnMetrics {
  return {
    customers: labels.length,
    churnRate: mean(labels),
    rocAuc: finiteOrNull(rocAuc(probabilities, labels)),
    prAuc: finiteOrNull(prAuc(probabilities, labels)),
    brier: brier(probabilities, labels),
    calibration: calibrationTable(probabilities, labels),
  };
}

export interface RegressionMetrics {
  customers: number;
  mae: number;
  rmse: number;
  bias: number | null;
  actualTotal: number;
  predictedTotal: number;
}

export function regressionMetrics(predicted: number[], actual: number[]): RegressionMetrics {
  return {
    customers: actual.length,
    mae: mae(predicted, actual),
    rmse: rmse(predicted, actual),
    bias: finiteOrNull(bias(predicted, actual)),
    actualTotal: actual.reduce((s, v) => s + v, 0),
    predictedTotal: predicted.reduce((s, v) => s + v, 0),
  };
}

function mean(values: number[]): number {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : Number.NaN;
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
