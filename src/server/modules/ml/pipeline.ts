import { createHash } from 'node:crypto';
import { type CustomerHistory, DAY_MS, FEATURE_NAMES } from './features.ts';
import type { ChurnMetrics } from './models/metrics.ts';
import { createRng } from './models/random.ts';
import {
  type ChurnSpec,
  type ModelMetrics,
  type ModelSpec,
  type Row,
  rowsAt,
  type SpendMetrics,
  type SpendSpec,
} from './scoring.ts';
import {
  type Comparison,
  choose,
  compare,
  type FoldResult,
  fitLikelihoodModels,
  type LikelihoodFit,
  runFold,
} from './selection.ts';

/**
 * A training run (decisions 042, 152, 153). With H the horizon and `now` the end of the data:
 *
 * - **supervised** regime, when at least 2H of history precedes `now`: folds at now − H, now − 2H,
 *   … (as many as the data allows, up to MAX_FOLDS); in each, supervised candidates learn from
 *   features before e − H and outcomes in (e − H, e] and are scored, beside BG/NBD + Gamma-Gamma
 *   fitted on everything before e and the baselines, on outcomes in (e, e + H].
 * - **likelihood-only** regime, with less: BG/NBD + Gamma-Gamma are fitted on all of the history
 *   (no labels needed) and measured on (now − H, now] when at least H of history exists.
 *
 * The chosen models keep the fold at now − H's metrics (the latest out-of-time test); the deployed
 * BG/NBD + Gamma-Gamma are refitted on everything before `now`.
 */

export type { ChurnSpec, ModelMetrics, ModelSpec, SpendMetrics, SpendSpec } from './scoring.ts';

export interface ModelCard {
  regime: 'supervised' | 'likelihood-only';
  /** Why this regime, in words an owner reads. */
  reason: string;
  horizonDays: number;
  folds: Array<{ cutoff: number; customers: number }>;
  comparison: { churn: Comparison[]; spend: Comparison[] };
  why: { churn: string; spend: string };
}

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

export class NotEnoughDataError extends Error {}

export const MIN_TRAINING_CUSTOMERS = 20;
/** Rolling origins per run: enough to average out one unusual season, few enough to stay fast. */
export const MAX_FOLDS = 3;

export function windowsFor(now: number, horizonDays: number): Windows {
  return {
    now,
    horizonDays,
    trainCutoff: now - 2 * horizonDays * DAY_MS,
    holdoutCutoff: now - horizonDays * DAY_MS,
  };
}

export { rowsAt };

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

export interface TrainOptions {
  now: number;
  horizonDays: number;
  /** Replace every label with a coin flip: the leakage check (a sound pipeline then scores AUC ≈ 0.5). */
  randomLabelsSeed?: number;
  /**
   * Fit even when no out-of-time measurement is possible (the backtest measures after its own
   * cutoff); the candidates then carry no metrics of their own.
   */
  allowUnmeasured?: boolean;
  onProgress?: (fraction: number, message: string) => void;
}

export interface TrainResult {
  windows: Windows;
  regime: ModelCard['regime'];
  trainRows: number;
  holdoutRows: number;
  dataHash: string;
  churn: TrainedCandidate;
  spend: TrainedCandidate;
  /** Every candidate of the latest fold as it would be deployed (the chosen ones are `churn.spec`, `spend.spec`). */
  churnCandidates: ChurnSpec[];
  spendCandidates: SpendSpec[];
  card: ModelCard;
  /** False when no fold could be measured (only with allowUnmeasured). */
  measured: boolean;
}

function enough(rows: Row[] | null): rows is Row[] {
  if (!rows || rows.length < MIN_TRAINING_CUSTOMERS) return false;
  const churned = rows.reduce((s, r) => s + r.y.churned, 0);
  return churned > 0 && churned < rows.length;
}

function notEnough(rows: Row[], where: string): NotEnoughDataError {
  return new NotEnoughDataError(
    rows.length < MIN_TRAINING_CUSTOMERS
      ? `only ${rows.length} customers with enough history in the ${where}; at least ${MIN_TRAINING_CUSTOMERS} are needed`
      : `the ${where} has only one outcome (everyone bought or nobody did)`,
  );
}

export function train(histories: CustomerHistory[], options: TrainOptions): TrainResult {
  const progress = options.onProgress ?? (() => {});
  const H = options.horizonDays;
  const now = options.now;
  const windows = windowsFor(now, H);
  const rng = options.randomLabelsSeed === undefined ? null : createRng(options.randomLabelsSeed);
  const rowCache = new Map<number, Row[]>();
  const rows = (cutoff: number) => {
    let r = rowCache.get(cutoff);
    if (!r) {
      r = rowsAt(histories, cutoff, H);
      if (rng) for (const row of r) row.y = { ...row.y, churned: rng.next() < 0.5 ? 1 : 0 };
      rowCache.set(cutoff, r);
    }
    return r;
  };
  const fitCache = new Map<number, LikelihoodFit>();
  let lastFit: LikelihoodFit | undefined;
  const fitAt = (cutoff: number) => {
    let fit = fitCache.get(cutoff);
    if (!fit) {
      fit = fitLikelihoodModels(rows(cutoff), lastFit?.bgnbd);
      fitCache.set(cutoff, fit);
      lastFit = fit;
    }
    return fit;
  };
  const at = (k: number) => now - k * H * DAY_MS;
  progress(0.05, 'building features and labels');

  const current = rows(now);
  if (current.length < MIN_TRAINING_CUSTOMERS) throw notEnough(current, 'data');
  const supervised = enough(rows(at(2))) && enough(rows(at(1)));
  const folds: FoldResult[] = [];
  for (let k = 1; k <= MAX_FOLDS; k++) {
    const test = rows(at(k));
    const train = supervised ? rows(at(k + 1)) : null;
    if (!enough(test) || (supervised && !enough(train))) break;
    const baseRateRows = train ?? rows(at(k + 1));
    const fold = runFold(
      {
        cutoff: at(k),
        train,
        trainFit: train ? fitAt(at(k + 1)) : null,
        test,
        testFit: fitAt(at(k)),
      },
      H,
      baseRateRows.length ? baseRateRows : test.map((r) => ({ ...r, y: { ...r.y, churned: 0.5 } })),
    );
    folds.push(fold);
    progress(
      0.1 + 0.6 * (k / MAX_FOLDS),
      `fold at ${new Date(at(k)).toISOString().slice(0, 10)}: ${test.length} customers scored`,
    );
    if (!supervised) break;
  }
  if (folds.length === 0 && !options.allowUnmeasured) {
    throw new NotEnoughDataError(
      `${rows(at(1)).length < MIN_TRAINING_CUSTOMERS ? `only ${rows(at(1)).length} customers ordered` : 'the customers who ordered'} before ${new Date(at(1)).toISOString().slice(0, 10)} with a measurable outcome in the ${H} days after; a model is only stored when it can be tested out of time (at least ${MIN_TRAINING_CUSTOMERS} customers and both outcomes)`,
    );
  }
  const comparison = compare(folds);
  const chosen = folds.length
    ? choose(comparison)
    : {
        churn: 'bgnbd',
        spend: 'bgnbd-gamma-gamma',
        why: { churn: 'not measured out of time', spend: 'not measured out of time' },
      };
  const deployed = fitAt(now);
  progress(
    0.8,
    `BG/NBD and Gamma-Gamma refitted on all ${current.length} customers before the end of the data`,
  );

  const latest = folds[0];
  const pick = <T extends { spec: { algorithm: string } }>(list: T[] | undefined, name: string) =>
    list?.find((c) => c.spec.algorithm === name);
  const churnFold = pick(latest?.churn, chosen.churn);
  const spendFold = pick(latest?.spend, chosen.spend);
  const churnSpec = withDeployedFit(
    churnFold?.spec ?? { kind: 'churn', algorithm: 'bgnbd', params: deployed.bgnbd },
    deployed,
  );
  const spendSpec = withDeployedFit(
    spendFold?.spec ?? { kind: 'spend', algorithm: 'bgnbd-gamma-gamma', params: deployed },
    deployed,
  );
  const trainingRows = supervised ? rows(at(2)) : current;
  const featureStats = statsOf(trainingRows);
  const alternatives: Record<string, ChurnMetrics> = {};
  for (const c of latest?.churn ?? []) alternatives[c.spec.algorithm] = c.metrics;
  const reason = supervised
    ? `${folds.length} labelled fold(s) of ${H} days precede the end of the data: supervised candidates were compared with BG/NBD + Gamma-Gamma out of time`
    : `less than two horizons (${2 * H} days) of labelled history: BG/NBD + Gamma-Gamma are fitted by likelihood on all of it, no supervised model is trained${folds.length ? `; measured on the last ${H} days` : '; no out-of-time measurement was possible'}`;
  const card: ModelCard = {
    regime: supervised ? 'supervised' : 'likelihood-only',
    reason,
    horizonDays: H,
    folds: folds.map((f) => ({ cutoff: f.cutoff, customers: f.customers })),
    comparison,
    why: chosen.why,
  };
  const unmeasuredChurn = {
    customers: 0,
    churnRate: 0,
    rocAuc: null,
    prAuc: null,
    brier: 0,
    calibration: [],
  };
  const unmeasuredRegression = {
    customers: 0,
    mae: 0,
    rmse: 0,
    bias: null,
    actualTotal: 0,
    predictedTotal: 0,
  };
  const unmeasuredSpend = { orders: unmeasuredRegression, spendCents: unmeasuredRegression };
  progress(0.85, `churn model: ${churnSpec.algorithm}; spend model: ${spendSpec.algorithm} (${card.regime})`);
  return {
    windows: supervised ? windows : { ...windows, trainCutoff: now },
    regime: card.regime,
    trainRows: trainingRows.length,
    holdoutRows: latest?.customers ?? 0,
    dataHash: hashHistories(histories, now),
    churnCandidates: latest ? latest.churn.map((c) => withDeployedFit(c.spec, deployed)) : [churnSpec],
    spendCandidates: latest ? latest.spend.map((c) => withDeployedFit(c.spec, deployed)) : [spendSpec],
    card,
    measured: folds.length > 0,
    churn: {
      spec: churnSpec,
      features: featuresOf(churnSpec),
      metrics: churnFold ? { ...churnFold.metrics, alternatives } : unmeasuredChurn,
      baselineMetrics: latest?.baseline.churn ?? unmeasuredChurn,
      featureStats,
    },
    spend: {
      spec: spendSpec,
      features: featuresOf(spendSpec),
      metrics: spendFold?.metrics ?? unmeasuredSpend,
      baselineMetrics: latest?.baseline.spend ?? unmeasuredSpend,
      featureStats,
    },
  };
}

/** The deployed version scores with BG/NBD + Gamma-Gamma refitted on everything before `now`. */
export function withDeployedFit<T extends ModelSpec>(spec: T, fit: LikelihoodFit): T {
  if (spec.kind === 'spend') return { ...spec, params: { ...spec.params, ...fit } };
  if (spec.algorithm === 'bgnbd') return { ...spec, params: fit.bgnbd };
  if (spec.algorithm === 'blend-logistic') return { ...spec, params: { ...spec.params, bgnbd: fit.bgnbd } };
  return spec;
}

function featuresOf(spec: ModelSpec): string[] {
  if (spec.algorithm === 'logistic-l2') return [...FEATURE_NAMES];
  if (spec.algorithm === 'bgnbd') return ['frequency', 'recencyDays', 'tenureDays'];
  if (spec.algorithm === 'bgnbd-gamma-gamma')
    return ['frequency', 'recencyDays', 'tenureDays', 'monetaryCents'];
  return spec.kind === 'churn'
    ? [...spec.params.model.features]
    : [...spec.params.orders.features, 'monetaryCents'];
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
