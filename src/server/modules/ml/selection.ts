import { type BgNbdParams, fitBgNbd } from './models/bgnbd.ts';
import { FEATURE_NAMES, logisticRow } from './features.ts';
import { fitGammaGamma, type GammaGammaParams } from './models/gamma-gamma.ts';
import { fitLinear } from './models/linear.ts';
import { fitLogistic } from './models/logistic.ts';
import type { ChurnMetrics } from './models/metrics.ts';
import {
  BLEND_CHURN_FEATURES,
  BLEND_ORDERS_FEATURES,
  baselineMetrics,
  blendChurnRow,
  blendOrdersRow,
  type ChurnSpec,
  evaluate,
  type Row,
  type SpendMetrics,
  type SpendSpec,
} from './scoring.ts';

/**
 * Rolling-origin selection (decision 153). A fold is an evaluation cutoff e with outcomes in
 * (e, e + H]: BG/NBD and Gamma-Gamma are fitted on everything before e (likelihood, no labels);
 * the supervised candidates learn from features before e − H and outcomes in (e − H, e]. Every
 * candidate, the reference BG/NBD + Gamma-Gamma and the baselines are scored on the same customers
 * of each fold; a candidate is chosen only if its mean over the folds beats the reference and the
 * baseline on every metric of its kind.
 */

export interface LikelihoodFit {
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
  positiveShare: number;
}

/** BG/NBD on every eligible customer, Gamma-Gamma on paid orders only (decision 152). */
export function fitLikelihoodModels(rows: Row[], start?: BgNbdParams): LikelihoodFit {
  const bgnbd = fitBgNbd(
    rows.map((r) => r.f.rfm),
    start,
  );
  const gammaGamma = fitGammaGamma(
    rows.map((r) => ({ n: r.f.positiveOrders, mean: r.f.meanPositiveOrderCents })),
  );
  const orders = rows.reduce((s, r) => s + r.f.orders, 0);
  const paid = rows.reduce((s, r) => s + r.f.positiveOrders, 0);
  return { bgnbd, gammaGamma, positiveShare: orders ? paid / orders : 1 };
}

export interface FoldInput {
  cutoff: number;
  /** Features before cutoff − H, outcomes in (cutoff − H, cutoff]; null in the likelihood-only regime. */
  train: Row[] | null;
  trainFit: LikelihoodFit | null;
  test: Row[];
  testFit: LikelihoodFit;
}

export interface FoldResult {
  cutoff: number;
  customers: number;
  churn: Array<{ spec: ChurnSpec; metrics: ChurnMetrics }>;
  spend: Array<{ spec: SpendSpec; metrics: SpendMetrics }>;
  baseline: { churn: ChurnMetrics; spend: SpendMetrics };
}

export const REFERENCE = { churn: 'bgnbd', spend: 'bgnbd-gamma-gamma' } as const;

export function runFold(fold: FoldInput, horizonDays: number, baseRateRows: Row[]): FoldResult {
  const H = horizonDays;
  const churn: ChurnSpec[] = [{ kind: 'churn', algorithm: 'bgnbd', params: fold.testFit.bgnbd }];
  const spend: SpendSpec[] = [{ kind: 'spend', algorithm: 'bgnbd-gamma-gamma', params: fold.testFit }];
  if (fold.train && fold.trainFit) {
    const train = fold.train;
    const trainBg = fold.trainFit.bgnbd;
    churn.push({
      kind: 'churn',
      algorithm: 'logistic-l2',
      params: fitLogistic(
        [...FEATURE_NAMES],
        train.map((r) => logisticRow(r.f.features)),
        train.map((r) => r.y.churned),
      ),
    });
    churn.push({
      kind: 'churn',
      algorithm: 'blend-logistic',
      params: {
        bgnbd: fold.testFit.bgnbd,
        model: fitLogistic(
          BLEND_CHURN_FEATURES,
          train.map((r) => blendChurnRow(trainBg, r.f, H)),
          train.map((r) => r.y.churned),
        ),
      },
    });
    spend.push({
      kind: 'spend',
      algorithm: 'blend-linear',
      params: {
        ...fold.testFit,
        orders: fitLinear(
          BLEND_ORDERS_FEATURES,
          train.map((r) => blendOrdersRow(trainBg, r.f, H)),
          train.map((r) => r.y.orders),
        ),
      },
    });
  }
  return {
    cutoff: fold.cutoff,
    customers: fold.test.length,
    churn: churn.map((spec) => ({ spec, metrics: evaluate(spec, fold.test, H) as ChurnMetrics })),
    spend: spend.map((spec) => ({ spec, metrics: evaluate(spec, fold.test, H) as SpendMetrics })),
    baseline: {
      churn: baselineMetrics('churn', baseRateRows, fold.test, H) as ChurnMetrics,
      spend: baselineMetrics('spend', baseRateRows, fold.test, H) as SpendMetrics,
    },
  };
}

export interface Comparison {
  name: string;
  rocAuc: number | null;
  brier: number | null;
  ordersRmse: number | null;
  spendRmseCents: number | null;
}

const mean = (values: Array<number | null>) => {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length ? v.reduce((s, x) => s + x, 0) / v.length : null;
};

/** Each candidate's and baseline's metrics averaged over the folds. */
export function compare(folds: FoldResult[]): { churn: Comparison[]; spend: Comparison[] } {
  const churnNames = [...new Set(folds.flatMap((f) => f.churn.map((c) => c.spec.algorithm)))];
  const spendNames = [...new Set(folds.flatMap((f) => f.spend.map((c) => c.spec.algorithm)))];
  const churnOf = (name: string) => folds.flatMap((f) => f.churn.filter((c) => c.spec.algorithm === name));
  const spendOf = (name: string) => folds.flatMap((f) => f.spend.filter((c) => c.spec.algorithm === name));
  const none = { ordersRmse: null, spendRmseCents: null };
  return {
    churn: [
      ...churnNames.map((name) => ({
        name,
        rocAuc: mean(churnOf(name).map((c) => c.metrics.rocAuc)),
        brier: mean(churnOf(name).map((c) => c.metrics.brier)),
        ...none,
      })),
      {
        name: 'baseline: base rate',
        rocAuc: mean(folds.map((f) => f.baseline.churn.rocAuc)),
        brier: mean(folds.map((f) => f.baseline.churn.brier)),
        ...none,
      },
    ],
    spend: [
      ...spendNames.map((name) => ({
        name,
        rocAuc: null,
        brier: null,
        ordersRmse: mean(spendOf(name).map((c) => c.metrics.orders.rmse)),
        spendRmseCents: mean(spendOf(name).map((c) => c.metrics.spendCents.rmse)),
      })),
      {
        name: 'baseline: historical rate',
        rocAuc: null,
        brier: null,
        ordersRmse: mean(folds.map((f) => f.baseline.spend.orders.rmse)),
        spendRmseCents: mean(folds.map((f) => f.baseline.spend.spendCents.rmse)),
      },
    ],
  };
}

/**
 * The chosen algorithm per kind and why: the best candidate that beats the reference and the
 * baseline on every metric of its kind (churn: ROC-AUC; spend: orders and spend RMSE), else the
 * reference, which needs no labels.
 */
export function choose(comparison: { churn: Comparison[]; spend: Comparison[] }) {
  const find = (list: Comparison[], name: string) => list.find((c) => c.name === name);
  const churnRef = find(comparison.churn, REFERENCE.churn);
  const churnBase = find(comparison.churn, 'baseline: base rate');
  const beatsChurn = (c: Comparison) =>
    c.rocAuc !== null &&
    churnRef?.rocAuc !== null &&
    churnRef?.rocAuc !== undefined &&
    c.rocAuc > churnRef.rocAuc &&
    c.rocAuc > (churnBase?.rocAuc ?? 0.5);
  const churnWinner = comparison.churn
    .filter((c) => c.name !== REFERENCE.churn && !c.name.startsWith('baseline') && beatsChurn(c))
    .sort((a, b) => (b.rocAuc ?? 0) - (a.rocAuc ?? 0))[0];
  const spendRef = find(comparison.spend, REFERENCE.spend);
  const spendBase = find(comparison.spend, 'baseline: historical rate');
  const below = (a: number | null, b: number | null | undefined) =>
    a !== null && b !== null && b !== undefined && a < b;
  const spendWinner = comparison.spend
    .filter(
      (c) =>
        c.name !== REFERENCE.spend &&
        !c.name.startsWith('baseline') &&
        below(c.ordersRmse, spendRef?.ordersRmse) &&
        below(c.spendRmseCents, spendRef?.spendRmseCents) &&
        below(c.ordersRmse, spendBase?.ordersRmse) &&
        below(c.spendRmseCents, spendBase?.spendRmseCents),
    )
    .sort((a, b) => (a.spendRmseCents ?? 0) - (b.spendRmseCents ?? 0))[0];
  return {
    churn: churnWinner?.name ?? REFERENCE.churn,
    spend: spendWinner?.name ?? REFERENCE.spend,
    why: {
      churn: churnWinner
        ? `${churnWinner.name} has the best mean ROC-AUC over the folds and beats BG/NBD and the base rate`
        : 'no candidate beat BG/NBD and the base rate on mean ROC-AUC over the folds',
      spend: spendWinner
        ? `${spendWinner.name} beats BG/NBD + Gamma-Gamma and the historical rate on mean orders and spend RMSE`
        : 'no candidate beat BG/NBD + Gamma-Gamma and the historical rate on both orders and spend RMSE',
    },
  };
}
