import type { CustomerPrediction, CustomerPredictionDetail } from '../../../contract/ml.ts';
import { notFound } from '../../app-error.ts';
import type { Db } from '../../db/database.ts';
import type { MlConfig } from './context.ts';
import { DAY_MS, ENGAGEMENT_WINDOW_DAYS, featuresAt } from './features.ts';
import { loadHistories } from './queries/histories.ts';
import {
  findCustomer,
  PREDICTION_SORT_COLUMNS,
  type PredictionRow,
  predictionDetailRow,
  predictionPage,
} from './queries/predictions.ts';
import { iso, isoNow } from './views.ts';

/** The console's customer predictions: a sortable page, and one customer with the explanation. */

function predictionView(r: PredictionRow): CustomerPrediction {
  return {
    userId: r.user_id,
    username: r.username,
    name: `${r.first_name} ${r.last_name}`,
    email: r.email,
    externalId: r.external_id,
    isSynthetic: Number(r.is_synthetic) === 1,
    status: r.status,
    reason: r.reason,
    churnProbability: r.churn_probability === null ? null : Number(r.churn_probability),
    expectedOrders: r.expected_orders === null ? null : Number(r.expected_orders),
    predictedSpendCents: r.predicted_spend_cents === null ? null : Number(r.predicted_spend_cents),
    expectedNextOrderAt: iso(r.expected_next_order_at),
    horizonDays: r.horizon_days,
    computedAt: isoNow(r.computed_at),
  };
}

export async function listCustomerPredictions(
  db: Db,
  query: {
    sort: string;
    status?: 'ok' | 'insufficient_data';
    q?: string;
    synthetic?: 'include' | 'exclude' | 'only';
    page: number;
    pageSize: number;
  },
) {
  const { total, rows } = await predictionPage(db, {
    column: PREDICTION_SORT_COLUMNS[query.sort.replace(/^-/, '') as keyof typeof PREDICTION_SORT_COLUMNS],
    descending: query.sort.startsWith('-'),
    status: query.status,
    q: query.q || undefined,
    synthetic: query.synthetic ?? 'include',
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: rows.map(predictionView), page: query.page, pageSize: query.pageSize, total };
}

export async function getCustomerPrediction(
  db: Db,
  config: MlConfig,
  userId: number,
): Promise<CustomerPredictionDetail> {
  const row = await predictionDetailRow(db, userId);
  if (row) {
    return {
      ...predictionView(row as PredictionRow),
      churnModelId: row.churn_model_id,
      spendModelId: row.spend_model_id,
      features: JSON.parse(row.features),
      explanation: row.explanation ? JSON.parse(row.explanation) : null,
    };
  }
  const user = await findCustomer(db, userId);
  if (!user) throw notFound('Customer');
  const [history] = await loadHistories(db, {
    userIds: [userId],
    eventsSince: Date.now() - ENGAGEMENT_WINDOW_DAYS * DAY_MS,
  });
  const f = featuresAt(history, Date.now());
  return {
    userId: user.id,
    username: user.username,
    name: `${user.first_name} ${user.last_name}`,
    email: user.email,
    externalId: user.external_id,
    isSynthetic: Number(user.is_synthetic) === 1,
    status: 'insufficient_data',
    reason: f.reason ?? 'no active model has scored this customer yet',
    churnProbability: null,
    expectedOrders: null,
    predictedSpendCents: null,
    expectedNextOrderAt: null,
    horizonDays: config.ML_HORIZON_DAYS,
    computedAt: isoNow(Date.now()),
    churnModelId: null,
    spendModelId: null,
    features: { ...f.features },
    explanation: null,
  };
}
