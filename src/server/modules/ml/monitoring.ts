import type { MlMonitoring } from '../../../contract/ml.ts';
import type { Db } from '../../db/database.ts';
import { DAY_MS, FEATURE_NAMES } from './features.ts';
import { closedOrdersSince, countEventsBetween } from './queries/counts.ts';
import { listModels } from './queries/models.ts';
import { allPredictionSummaries } from './queries/predictions.ts';
import { isoNow, type ModelRow } from './views.ts';

/** Monitoring: metric history per version, prediction distribution, data volume and feature drift. */

/** One kind's versions, oldest first: what identifies each, plus the metrics `pick` chooses. */
function versionsOf<T>(
  models: ModelRow[],
  kind: ModelRow['kind'],
  // biome-ignore lint/suspicious/noExplicitAny: stored metrics JSON differs per model kind
  pick: (metrics: any, baseline: any) => T,
) {
  return models
    .filter((m) => m.kind === kind)
    .map((m) => ({
      modelId: m.id,
      trainedAt: isoNow(m.trained_at),
      status: m.status,
      algorithm: m.algorithm,
      ...pick(JSON.parse(m.metrics), JSON.parse(m.baseline_metrics)),
    }));
}

export async function getMonitoring(db: Db): Promise<MlMonitoring> {
  const models = (await listModels(db)).slice().reverse();
  const churn = versionsOf(models, 'churn', (metrics, base) => ({
    rocAuc: metrics.rocAuc,
    prAuc: metrics.prAuc,
    brier: metrics.brier,
    baselineBrier: base.brier,
    customers: metrics.customers,
  }));
  const spend = versionsOf(models, 'spend', (metrics, base) => ({
    ordersMae: metrics.orders.mae,
    spendMaeCents: metrics.spendCents.mae,
    baselineOrdersMae: base.orders.mae,
    baselineSpendMaeCents: base.spendCents.mae,
    spendBias: metrics.spendCents.bias,
    customers: metrics.orders.customers,
  }));

  const predictions = await allPredictionSummaries(db);
  const ok = predictions.filter((p) => p.status === 'ok');
  const churnHistogram = Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, count: 0 }));
  for (const p of ok) churnHistogram[Math.min(9, Math.floor(Number(p.churn_probability) * 10))].count++;
  const spends = ok.map((p) => Number(p.predicted_spend_cents));
  const maxSpend = Math.max(1, ...spends);
  const width = Math.ceil(maxSpend / 10);
  const spendHistogram = Array.from({ length: 10 }, (_, i) => ({
    from: i * width,
    to: (i + 1) * width,
    count: 0,
  }));
  for (const s of spends) spendHistogram[Math.min(9, Math.floor(s / width))].count++;

  // Data volume per month for the last 24 months, bucketed in code (portable across dialects).
  const since = Date.now() - 730 * DAY_MS;
  const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);
  const volume = new Map<
    string,
    { month: string; closedOrders: number; revenueCents: number; events: number }
  >();
  const bucket = (month: string) => {
    const existing = volume.get(month);
    if (existing) return existing;
    const created = { month, closedOrders: 0, revenueCents: 0, events: 0 };
    volume.set(month, created);
    return created;
  };
  const orders = await closedOrdersSince(db, since);
  for (const o of orders) {
    const b = bucket(monthOf(Number(o.closed_at)));
    b.closedOrders++;
    b.revenueCents += Number(o.total_cents ?? 0);
  }
  // Events: one count per day from SQL would need dialect-specific date math; a month-step loop of
  // indexed range counts stays portable and cheap.
  for (
    let m = new Date(since);
    m.getTime() < Date.now();
    m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))
  ) {
    const from = Date.UTC(m.getUTCFullYear(), m.getUTCMonth(), 1);
    const to = Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1);
    const n = await countEventsBetween(db, from, to);
    if (n > 0) bucket(monthOf(from)).events = n;
  }

  const reference = models.filter((m) => m.kind === 'churn' && m.status === 'active').at(-1);
  const featureDrift: MlMonitoring['featureDrift'] = {
    referenceModelId: reference?.id ?? null,
    features: [],
  };
  if (reference && ok.length > 0) {
    const stats = JSON.parse(reference.feature_stats) as Record<string, { mean: number; std: number }>;
    const current = ok.map((p) => JSON.parse(p.features) as Record<string, number>);
    for (const feature of FEATURE_NAMES) {
      const values = current.map((c) => c[feature] ?? 0);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
      const ref = stats[feature] ?? { mean: 0, std: 0 };
      featureDrift.features.push({
        feature,
        trainingMean: ref.mean,
        trainingStd: ref.std,
        currentMean: mean,
        currentStd: std,
        shift: ref.std > 0 ? (mean - ref.mean) / ref.std : 0,
      });
    }
  }

  return {
    metricHistory: { churn, spend },
    predictionDistribution: {
      total: predictions.length,
      insufficientData: predictions.length - ok.length,
      churnProbability: churnHistogram,
      predictedSpendCents: spendHistogram,
    },
    dataVolume: [...volume.values()].sort((a, b) => a.month.localeCompare(b.month)),
    featureDrift,
  };
}
