import { sql } from 'kysely';
import type { Db } from '../../../db/database.ts';
import { inTransaction, likeContains } from '../../../db/dialect.ts';
import type { PredictionRecord } from '../predict.ts';

/** Stored customer predictions: the rescore's upserts and the console's reads. */

/** Upserts predictions in small transactions so a big rescore never blocks the shop for long. */
export async function savePredictions(
  db: Db,
  predictions: PredictionRecord[],
  context: {
    churnModelId: number | null;
    spendModelId: number | null;
    horizonDays: number;
    computedAt: number;
  },
) {
  const BATCH = 250;
  for (let i = 0; i < predictions.length; i += BATCH) {
    const batch = predictions.slice(i, i + BATCH);
    await inTransaction(db, async (trx) => {
      // A customer may have deleted their account since the history was read.
      const present = new Set(
        (
          await trx
            .selectFrom('users')
            .select('id')
            .where(
              'id',
              'in',
              batch.map((p) => p.userId),
            )
            .execute()
        ).map((u) => u.id),
      );
      const rows = batch.filter((p) => present.has(p.userId));
      if (rows.length === 0) return;
      await trx
        .deleteFrom('ml_predictions')
        .where(
          'user_id',
          'in',
          batch.map((p) => p.userId),
        )
        .execute();
      await trx
        .insertInto('ml_predictions')
        .values(
          rows.map((p) => ({
            user_id: p.userId,
            status: p.status,
            reason: p.reason,
            churn_probability: p.churnProbability,
            expected_orders: p.expectedOrders,
            predicted_spend_cents: p.predictedSpendCents,
            expected_next_order_at: p.expectedNextOrderAt,
            horizon_days: context.horizonDays,
            churn_model_id: context.churnModelId,
            spend_model_id: context.spendModelId,
            features: p.features,
            explanation: p.explanation,
            computed_at: context.computedAt,
          })),
        )
        .execute();
    });
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export const PREDICTION_SORT_COLUMNS = {
  churnProbability: 'p.churn_probability',
  expectedOrders: 'p.expected_orders',
  predictedSpendCents: 'p.predicted_spend_cents',
  expectedNextOrderAt: 'p.expected_next_order_at',
  horizonDays: 'p.horizon_days',
  computedAt: 'p.computed_at',
  userId: 'p.user_id',
} as const;

export type PredictionRow = {
  user_id: number;
  username: string;
  first_name: string;
  last_name: string;
  email: string;
  external_id: string | null;
  is_synthetic: number;
  status: 'ok' | 'insufficient_data';
  reason: string | null;
  churn_probability: number | null;
  expected_orders: number | null;
  predicted_spend_cents: number | null;
  expected_next_order_at: number | null;
  horizon_days: number;
  computed_at: number;
};

const LIST_COLUMNS = [
  'p.user_id',
  'u.username',
  'u.first_name',
  'u.last_name',
  'u.email',
  'u.external_id',
  'u.is_synthetic',
  'p.status',
  'p.reason',
  'p.churn_probability',
  'p.expected_orders',
  'p.predicted_spend_cents',
  'p.expected_next_order_at',
  'p.horizon_days',
  'p.computed_at',
] as const;

function predictionBase(db: Db) {
  return db.selectFrom('ml_predictions as p').innerJoin('users as u', 'u.id', 'p.user_id');
}

export async function predictionPage(
  db: Db,
  query: {
    column: (typeof PREDICTION_SORT_COLUMNS)[keyof typeof PREDICTION_SORT_COLUMNS];
    descending: boolean;
    status?: 'ok' | 'insufficient_data';
    /** Part of a name, e-mail, username or external id (case-insensitive). */
    q?: string;
    synthetic: 'include' | 'exclude' | 'only';
    limit: number;
    offset: number;
  },
): Promise<{ total: number; rows: PredictionRow[] }> {
  let base = predictionBase(db);
  if (query.status) base = base.where('p.status', '=', query.status);
  if (query.synthetic !== 'include')
    base = base.where('u.is_synthetic', '=', query.synthetic === 'only' ? 1 : 0);
  // Every word must appear in one of the fields ("ada love" finds Ada Lovelace).
  for (const word of (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5)) {
    const pattern = likeContains(word);
    base = base.where((eb) =>
      eb.or(
        [
          'u.username_key',
          'u.email_key',
          'lower(u.first_name)',
          'lower(u.last_name)',
          'lower(u.external_id)',
        ].map((field) => sql<boolean>`${sql.raw(field)} like ${pattern} escape '!'`),
      ),
    );
  }
  const total = Number(
    (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const rows = await base
    .select(LIST_COLUMNS)
    // "Not enough data" rows have no numbers: they sort last in both directions.
    .orderBy(sql`case when ${sql.ref(query.column)} is null then 1 else 0 end`)
    .orderBy(sql.ref(query.column), query.descending ? 'desc' : 'asc')
    .orderBy('p.user_id')
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  return { total, rows: rows as PredictionRow[] };
}

export function predictionDetailRow(db: Db, userId: number) {
  return predictionBase(db)
    .select([...LIST_COLUMNS, 'p.features', 'p.explanation', 'p.churn_model_id', 'p.spend_model_id'])
    .where('p.user_id', '=', userId)
    .executeTakeFirst();
}

export function findCustomer(db: Db, userId: number) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'first_name', 'last_name', 'email', 'external_id', 'is_synthetic'])
    .where('id', '=', userId)
    .where('role', '=', 'customer')
    .executeTakeFirst();
}

/** Every stored prediction's numbers and features, for the monitoring histograms and drift. */
export function allPredictionSummaries(db: Db) {
  return db
    .selectFrom('ml_predictions')
    .select(['status', 'churn_probability', 'predicted_spend_cents', 'features'])
    .execute();
}
