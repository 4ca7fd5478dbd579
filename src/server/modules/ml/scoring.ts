import {
  type BgNbdParams,
  conditionalExpectedTransactions,
  probabilityAlive,
  probabilityNoPurchase,
} from './models/bgnbd.ts';
import {
  type CustomerFeatures,
  type CustomerHistory,
  featuresAt,
  type Labels,
  labelsAfter,
  logisticRow,
} from './features.ts';
import { conditionalExpectedOrderValue, type GammaGammaParams } from './models/gamma-gamma.ts';
import { type LinearModel, predictLinear } from './models/linear.ts';
import { type LogisticModel, predictLogistic } from './models/logistic.ts';
import {
  type ChurnMetrics,
  churnMetrics,
  type RegressionMetrics,
  regressionMetrics,
} from './models/metrics.ts';

/**
 * The model specifications a version stores, and how each scores a customer's features at a
 * cutoff for a horizon. Pure: the worker, the backtest and the tests share this one definition.
 *
 * - `bgnbd` (churn) and `bgnbd-gamma-gamma` (spend): fitted by likelihood, no labels needed.
 * - `logistic-l2` (churn): logistic regression on RFM and 30-day engagement (decision 042).
 * - `blend-logistic` (churn) and `blend-linear` (spend): supervised models whose inputs are
 *   BG/NBD's P(no purchase in H), P(alive) and expected purchases beside the engagement counts
 *   (decision 153). Never 1 − P(alive) as a churn score: it ranks one-time buyers as the safest.
 */
export type ChurnSpec =
  | { kind: 'churn'; algorithm: 'logistic-l2'; params: LogisticModel }
  | { kind: 'churn'; algorithm: 'bgnbd'; params: BgNbdParams }
  | { kind: 'churn'; algorithm: 'blend-logistic'; params: { bgnbd: BgNbdParams; model: LogisticModel } };

export interface SpendParams {
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
  /** Share of orders with a positive amount when fitted; absent in versions stored before it (1). */
  positiveShare?: number;
}
export type SpendSpec =
  | { kind: 'spend'; algorithm: 'bgnbd-gamma-gamma'; params: SpendParams }
  | { kind: 'spend'; algorithm: 'blend-linear'; params: SpendParams & { orders: LinearModel } };
export type ModelSpec = ChurnSpec | SpendSpec;

export interface SpendMetrics {
  orders: RegressionMetrics;
  spendCents: RegressionMetrics;
}
export type ModelMetrics = ChurnMetrics | SpendMetrics;

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

const clampProbability = (p: number) => Math.min(1 - 1e-9, Math.max(1e-9, p));
const engagement = (f: CustomerFeatures) =>
  f.features.views +
  f.features.searches +
  f.features.cartAdds +
  f.features.favorites +
  f.features.assistantUses;

export const BLEND_CHURN_FEATURES = [
  'bgnbdNoPurchaseLogOdds',
  'bgnbdLogAlive',
  'bgnbdExpectedOrdersLog',
  'viewsLog',
  'searchesLog',
  'cartAddsLog',
  'favoritesLog',
  'assistantUsesLog',
  'engagedLast30Days',
  'frequencyLog',
  'recencyMonths',
];

/** The blend's churn inputs: BG/NBD's view of the customer beside what they did lately. */
export function blendChurnRow(bgnbd: BgNbdParams, f: CustomerFeatures, horizonDays: number): number[] {
  const q = clampProbability(probabilityNoPurchase(bgnbd, f.rfm, horizonDays));
  const x = f.features;
  return [
    Math.log(q / (1 - q)),
    Math.log(Math.max(probabilityAlive(bgnbd, f.rfm), 1e-9)),
    Math.log1p(conditionalExpectedTransactions(bgnbd, f.rfm, horizonDays)),
    Math.log1p(x.views),
    Math.log1p(x.searches),
    Math.log1p(x.cartAdds),
    Math.log1p(x.favorites),
    Math.log1p(x.assistantUses),
    engagement(f) > 0 ? 1 : 0,
    Math.log1p(x.frequency),
    x.recencyDays / 30,
  ];
}

export const BLEND_ORDERS_FEATURES = [
  'bgnbdExpectedOrders',
  'bgnbdExpectedOrdersIfEngaged',
  'engagementLog',
  'viewsLog',
  'engagedLast30Days',
  'frequencyLog',
  'viewsPerDay',
];

/** The blend's expected-orders inputs (linear in BG/NBD's expectation, shifted by engagement). */
export function blendOrdersRow(bgnbd: BgNbdParams, f: CustomerFeatures, horizonDays: number): number[] {
  const e = conditionalExpectedTransactions(bgnbd, f.rfm, horizonDays);
  const engaged = engagement(f) > 0 ? 1 : 0;
  return [
    e,
    e * engaged,
    Math.log1p(engagement(f)),
    Math.log1p(f.features.views),
    engaged,
    Math.log1p(f.features.frequency),
    f.features.views / 30,
  ];
}

export function scoreChurn(spec: ChurnSpec, f: CustomerFeatures, horizonDays: number): number {
  if (spec.algorithm === 'logistic-l2') return predictLogistic(spec.params, logisticRow(f.features));
  if (spec.algorithm === 'bgnbd') return probabilityNoPurchase(spec.params, f.rfm, horizonDays);
  return predictLogistic(spec.params.model, blendChurnRow(spec.params.bgnbd, f, horizonDays));
}

/**
 * Expected orders, spend and order value over the horizon. Spend = expected orders × the share of
 * orders that cost something × Gamma-Gamma's expected value of a paid order (decision 152).
 */
export function scoreSpend(spec: SpendSpec, f: CustomerFeatures, horizonDays: number) {
  const expectedOrders =
    spec.algorithm === 'blend-linear'
      ? Math.max(0, predictLinear(spec.params.orders, blendOrdersRow(spec.params.bgnbd, f, horizonDays)))
      : conditionalExpectedTransactions(spec.params.bgnbd, f.rfm, horizonDays);
  const orderValue = conditionalExpectedOrderValue(spec.params.gammaGamma, {
    n: f.positiveOrders,
    mean: f.meanPositiveOrderCents,
  });
  const share = spec.params.positiveShare ?? 1;
  return { expectedOrders, spendCents: expectedOrders * share * orderValue, orderValue };
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

/** The baselines beside every model: the base churn rate known at training, the historical rate. */
export function baselineMetrics(kind: 'churn' | 'spend', train: Row[], holdout: Row[], horizonDays: number) {
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
  } satisfies SpendMetrics;
}
