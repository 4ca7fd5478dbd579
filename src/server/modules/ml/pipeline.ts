import { createHash } from 'node:crypto';
import {
  type BgNbdParams,
  conditionalExpectedTransactions,
  fitBgNbd,
  medianDaysToNextPurchase,
  probabilityAlive,
  probabilityNoPurchase,
} from './models/bgnbd.ts';
import {
  type CustomerFeatures,
  type CustomerHistory,
  DAY_MS,
  FEATURE_NAMES,
  featuresAt,
  type Labels,
  labelsAfter,
  logisticRow,
} from './features.ts';
import { conditionalExpectedOrderValue, fitGammaGamma, type GammaGammaParams } from './models/gamma-gamma.ts';
import { contributions, fitLogistic, type LogisticModel, predictLogistic } from './models/logistic.ts';
import {
  type ChurnMetrics,
  churnMetrics,
  type RegressionMetrics,
  regressionMetrics,
} from './models/metrics.ts';
import { createRng } from './models/random.ts';

/**
 * Training and evaluation (decision 042). With H the horizon and `now` the end of the data:
 * the training window has features before now − 2H and labels in (now − 2H, now − H]; the later
 * holdout has features before now − H and labels in (now − H, now]. Candidates are fitted on the
 * training window only, chosen and compared with the active model on the holdout, and the chosen
 * ones then score every customer with features before `now`.
 */

export type ChurnSpec =
  | { kind: 'churn'; algorithm: 'logistic-l2'; params: LogisticModel }
  | { kind: 'churn'; algorithm: 'bgnbd'; params: BgNbdParams };
export type SpendSpec = {
  kind: 'spend';
  algorithm: 'bgnbd-gamma-gamma';
  params: { bgnbd: BgNbdParams; gammaGamma: GammaGammaParams };
};
export type ModelSpec = ChurnSpec | SpendSpec;

export interface SpendMetrics {
  orders: RegressionMetrics;
  spendCents: RegressionMetrics;
}
export type ModelMetrics = ChurnMetrics | SpendMetrics;

export interface TrainedCandidate {
  spec: ModelSpec;
  features: string[];
  metrics: ModelMetrics & { alternatives?: Record<string, ChurnMetrics> };
  baselineMetrics: ModelMetrics;
  /** Means and deviations of the training features, the reference for drift monitoring. */
  featureStats: Record<string, { mean: number; std: number }>;
}

export interface Windows {
  now: number;
  horizonDays: number;
  trainCutoff: number;
  holdoutCutoff: number;
}

export interface Prediction {
  userId: number;
  status: 'ok' | 'insufficient_data';
  reason: string | null;
  churnProbability: number | null;
  expectedOrders: number | null;
  predictedSpendCents: number | null;
  expectedNextOrderAt: number | null;
  features: Record<string, number>;
  explanation: Explanation | null;
}

export interface Explanation {
  churnAlgorithm: string;
  spendAlgorithm: string;
  probabilityAlive: number;
  expectedOrderValueCents: number;
  drivers: Array<{ feature: string; value: number; effect: number | null; direction: string }>;
}

/** A prediction as stored: JSON columns already serialised (in the worker, off the request thread). */
export interface PredictionRecord extends Omit<Prediction, 'features' | 'explanation'> {
  features: string;
  explanation: string | null;
}

export function toRecord(p: Prediction): PredictionRecord {
  return {
    ...p,
    features: JSON.stringify(p.features),
    explanation: p.explanation ? JSON.stringify(p.explanation) : null,
  };
}

export class NotEnoughDataError extends Error {}

export const MIN_TRAINING_CUSTOMERS = 20;

export function windowsFor(now: number, horizonDays: number): Windows {
  return {
    now,
    horizonDays,
    trainCutoff: now - 2 * horizonDays * DAY_MS,
    holdoutCutoff: now - horizonDays * DAY_MS,
  };
}

export interface Row {
  f: CustomerFeatures;
  y: Labels;
}

export function rowsAt(histories: CustomerHistory[], cutoff: number, horizonDays: number): Row[] {
  const rows: Row[] = [];
  for (const h of histories) {
    const f = featuresAt(h, cutoff);
    if (f.eligible) rows.push({ f, y: labelsAfter(h, cutoff, horizonDays) });
  }
  return rows;
}

// ——— scoring ———

export function scoreChurn(spec: ChurnSpec, f: CustomerFeatures, horizonDays: number): number {
  return spec.algorithm === 'logistic-l2'
    ? predictLogistic(spec.params, logisticRow(f.features))
    : probabilityNoPurchase(spec.params, f.rfm, horizonDays);
}

export function scoreSpend(spec: SpendSpec, f: CustomerFeatures, horizonDays: number) {
  const expectedOrders = conditionalExpectedTransactions(spec.params.bgnbd, f.rfm, horizonDays);
  const orderValue = conditionalExpectedOrderValue(spec.params.gammaGamma, {
    n: f.orders,
    mean: f.meanOrderCents,
  });
  return { expectedOrders, spendCents: expectedOrders * orderValue, orderValue };
}

/** The customer's own past repeat-purchase rate carried forward: the baseline to beat. */
export function historicalRateBaseline(f: CustomerFeatures, horizonDays: number) {
  const orders = f.rfm.T > 0 ? (f.rfm.x / f.rfm.T) * horizonDays : 0;
  return { orders, spendCents: orders * f.meanOrderCents };
}

export function evaluate(spec: ModelSpec, rows: Row[], horizonDays: number): ModelMetrics {
  if (spec.kind === 'churn') {
    return churnMetrics(
      rows.map((r) => scoreChurn(spec, r.f, horizonDays)),
      rows.map((r) => r.y.churned),
    );
  }
  const scored = rows.map((r) => scoreSpend(spec, r.f, horizonDays));
  return {
    orders: regressionMetrics(
      scored.map((s) => s.expectedOrders),
      rows.map((r) => r.y.orders),
    ),
    spendCents: regressionMetrics(
      scored.map((s) => s.spendCents),
      rows.map((r) => r.y.spendCents),
    ),
  };
}

function baselineMetrics(
  kind: 'churn' | 'spend',
  train: Row[],
  holdout: Row[],
  horizonDays: number,
): ModelMetrics {
  if (kind === 'churn') {
    const baseRate = train.reduce((s, r) => s + r.y.churned, 0) / train.length;
    return churnMetrics(
      holdout.map(() => baseRate),
      holdout.map((r) => r.y.churned),
    );
  }
  const base = holdout.map((r) => historicalRateBaseline(r.f, horizonDays));
  return {
    orders: regressionMetrics(
      base.map((b) => b.orders),
      holdout.map((r) => r.y.orders),
    ),
    spendCents: regressionMetrics(
      base.map((b) => b.spendCents),
      holdout.map((r) => r.y.spendCents),
    ),
  };
}

/** Lower is better for both: churn by Brier score (a proper scoring rule), spend by MAE in cents. */
export function primaryScore(kind: 'churn' | 'spend', metrics: ModelMetrics): number {
  return kind === 'churn' ? (metrics as ChurnMetrics).brier : (metrics as SpendMetrics).spendCents.mae;
}

/**
 * A new version must improve on the active one by more than 0.1 % of its score: retraining on
 * the same data shifts the fit in the sixth digit, and that noise must not churn versions.
 */
export const MIN_IMPROVEMENT = 0.001;

export function decidePromotion(
  kind: 'churn' | 'spend',
  candidate: ModelMetrics,
  baseline: ModelMetrics,
  active: ModelMetrics | null,
): { promote: boolean; reason: string } {
  const c = primaryScore(kind, candidate);
  const name = kind === 'churn' ? 'Brier score' : 'spend MAE';
  if (active) {
    const a = primaryScore(kind, active);
    return c < a * (1 - MIN_IMPROVEMENT)
      ? { promote: true, reason: `${name} ${fmt(c)} beats the active model's ${fmt(a)} on the same holdout` }
      : {
          promote: false,
          reason: `${name} ${fmt(c)} does not beat the active model's ${fmt(a)} on the same holdout`,
        };
  }
  const b = primaryScore(kind, baseline);
  return c < b
    ? { promote: true, reason: `no active model; ${name} ${fmt(c)} beats the baseline's ${fmt(b)}` }
    : {
        promote: false,
        reason: `no active model, but ${name} ${fmt(c)} does not beat the baseline's ${fmt(b)}`,
      };
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(4));

// ——— training ———

export interface TrainOptions {
  now: number;
  horizonDays: number;
  /** Replace every label with a coin flip: the leakage check (a sound pipeline then scores AUC ≈ 0.5). */
  randomLabelsSeed?: number;
  onProgress?: (fraction: number, message: string) => void;
}

export interface TrainResult {
  windows: Windows;
  trainRows: number;
  holdoutRows: number;
  dataHash: string;
  churn: TrainedCandidate;
  spend: TrainedCandidate;
  /** Every churn candidate fitted on the training window (the chosen one is `churn.spec`). */
  churnCandidates: ChurnSpec[];
}

export function train(histories: CustomerHistory[], options: TrainOptions): TrainResult {
  const progress = options.onProgress ?? (() => {});
  const windows = windowsFor(options.now, options.horizonDays);
  const H = options.horizonDays;
  progress(0.05, 'building features and labels');
  const trainRows = rowsAt(histories, windows.trainCutoff, H);
  const holdoutRows = rowsAt(histories, windows.holdoutCutoff, H);
  if (options.randomLabelsSeed !== undefined) {
    const rng = createRng(options.randomLabelsSeed);
    for (const r of [...trainRows, ...holdoutRows]) r.y = { ...r.y, churned: rng.next() < 0.5 ? 1 : 0 };
  }
  checkEnough(trainRows, 'training window');
  checkEnough(holdoutRows, 'holdout');
  progress(0.15, `${trainRows.length} training rows, ${holdoutRows.length} holdout rows`);

  const bgnbd = fitBgNbd(trainRows.map((r) => r.f.rfm));
  progress(0.45, `BG/NBD fitted: ${JSON.stringify(round(bgnbd))}`);
  const gammaGamma = fitGammaGamma(trainRows.map((r) => ({ n: r.f.orders, mean: r.f.meanOrderCents })));
  progress(0.6, `Gamma-Gamma fitted: ${JSON.stringify(round(gammaGamma))}`);
  const logistic = fitLogistic(
    [...FEATURE_NAMES],
    trainRows.map((r) => logisticRow(r.f.features)),
    trainRows.map((r) => r.y.churned),
  );
  progress(0.75, 'logistic regression fitted');

  const churnCandidates: ChurnSpec[] = [
    { kind: 'churn', algorithm: 'logistic-l2', params: logistic },
    { kind: 'churn', algorithm: 'bgnbd', params: bgnbd },
  ];
  const alternatives: Record<string, ChurnMetrics> = {};
  for (const c of churnCandidates) alternatives[c.algorithm] = evaluate(c, holdoutRows, H) as ChurnMetrics;
  const bestChurn = churnCandidates.reduce((best, c) =>
    alternatives[c.algorithm].brier < alternatives[best.algorithm].brier ? c : best,
  );
  const spendSpec: SpendSpec = {
    kind: 'spend',
    algorithm: 'bgnbd-gamma-gamma',
    params: { bgnbd, gammaGamma },
  };
  const featureStats = statsOf(trainRows);
  progress(0.85, `holdout evaluation done; churn model: ${bestChurn.algorithm}`);
  return {
    windows,
    trainRows: trainRows.length,
    holdoutRows: holdoutRows.length,
    dataHash: hashHistories(histories, options.now),
    churnCandidates,
    churn: {
      spec: bestChurn,
      features:
        bestChurn.algorithm === 'logistic-l2'
          ? [...FEATURE_NAMES]
          : ['frequency', 'recencyDays', 'tenureDays'],
      metrics: { ...alternatives[bestChurn.algorithm], alternatives },
      baselineMetrics: baselineMetrics('churn', trainRows, holdoutRows, H),
      featureStats,
    },
    spend: {
      spec: spendSpec,
      features: ['frequency', 'recencyDays', 'tenureDays', 'monetaryCents'],
      metrics: evaluate(spendSpec, holdoutRows, H),
      baselineMetrics: baselineMetrics('spend', trainRows, holdoutRows, H),
      featureStats,
    },
  };
}

function checkEnough(rows: Row[], where: string) {
  if (rows.length < MIN_TRAINING_CUSTOMERS) {
    throw new NotEnoughDataError(
      `only ${rows.length} customers with enough history in the ${where}; at least ${MIN_TRAINING_CUSTOMERS} are needed`,
    );
  }
  const churned = rows.reduce((s, r) => s + r.y.churned, 0);
  if (churned === 0 || churned === rows.length) {
    throw new NotEnoughDataError(`the ${where} has only one outcome (everyone bought or nobody did)`);
  }
}

function statsOf(rows: Row[]): Record<string, { mean: number; std: number }> {
  const stats: Record<string, { mean: number; std: number }> = {};
  for (const name of FEATURE_NAMES) {
    const values = rows.map((r) => r.f.features[name]);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    stats[name] = { mean, std };
  }
  return stats;
}

function round<T extends object>(o: T): T {
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [k, Number((v as number).toPrecision(4))]),
  ) as T;
}

/** Identifies the data a version was trained on: every order and event count up to `now`. */
export function hashHistories(histories: CustomerHistory[], now: number): string {
  const hash = createHash('sha256');
  hash.update(String(now));
  for (const h of [...histories].sort((a, b) => a.userId - b.userId)) {
    let events = 0;
    for (const [at] of h.events) if (at < now) events++;
    const orders = h.orders.filter(([at]) => at <= now);
    hash.update(`${h.userId}:${events}:${orders.map(([at, c]) => `${at}/${c}`).join(',')};`);
  }
  return hash.digest('hex');
}

// ——— predictions ———

export function predictAll(
  histories: CustomerHistory[],
  churn: ChurnSpec,
  spend: SpendSpec,
  now: number,
  horizonDays: number,
): Prediction[] {
  return histories.map((h) => predictOne(h, churn, spend, now, horizonDays));
}

export function predictOne(
  history: CustomerHistory,
  churn: ChurnSpec,
  spend: SpendSpec,
  now: number,
  horizonDays: number,
): Prediction {
  const f = featuresAt(history, now);
  const features = { ...f.features };
  if (!f.eligible) {
    return {
      userId: history.userId,
      status: 'insufficient_data',
      reason: f.reason,
      churnProbability: null,
      expectedOrders: null,
      predictedSpendCents: null,
      expectedNextOrderAt: null,
      features,
      explanation: null,
    };
  }
  const churnProbability = scoreChurn(churn, f, horizonDays);
  const s = scoreSpend(spend, f, horizonDays);
  const alive = probabilityAlive(spend.params.bgnbd, f.rfm);
  const drivers =
    churn.algorithm === 'logistic-l2'
      ? contributions(churn.params, logisticRow(f.features))
          .map((effect, j) => ({
            feature: churn.params.features[j],
            value: f.features[churn.params.features[j] as keyof typeof f.features],
            effect,
            direction: effect > 0 ? 'raises churn risk' : 'lowers churn risk',
          }))
          .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect))
          .slice(0, 5)
      : (['recencyDays', 'frequency', 'tenureDays'] as const).map((feature) => ({
          feature,
          value: f.features[feature],
          effect: null,
          direction:
            feature === 'frequency' ? 'more purchases lower churn risk' : 'longer gaps raise churn risk',
        }));
  return {
    userId: history.userId,
    status: 'ok',
    reason: null,
    churnProbability,
    expectedOrders: s.expectedOrders,
    predictedSpendCents: Math.round(s.spendCents),
    // Only for customers more likely active than not: a lapsed customer has no "next order" date.
    expectedNextOrderAt:
      alive >= 0.5 ? Math.round(now + medianDaysToNextPurchase(spend.params.bgnbd, f.rfm) * DAY_MS) : null,
    features,
    explanation: {
      churnAlgorithm: churn.algorithm,
      spendAlgorithm: spend.algorithm,
      probabilityAlive: alive,
      expectedOrderValueCents: Math.round(s.orderValue),
      drivers,
    },
  };
}
