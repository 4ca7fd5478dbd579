import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/dialect.ts';
import type { EventType, MlKind, MlModelsTable } from '../../db/schema.ts';
import { type CustomerHistory, EVENT_KINDS, type EventKind } from './features.ts';
import type { ModelSpec, Prediction } from './pipeline.ts';

/** SQL for the ML module: reading the behaviour history and storing versions and predictions. */

const EVENT_KIND_OF: Partial<Record<EventType, EventKind>> = {
  view: 'view',
  search: 'search',
  favorite_add: 'favorite',
  cart_add: 'cart_add',
  chat: 'chat',
  checkout: 'checkout',
};
const LOADED_EVENT_TYPES = Object.keys(EVENT_KIND_OF) as EventType[];

/**
 * Every customer's closed orders and behaviour events, as the pure feature code wants them.
 * `eventsSince` bounds the event scan (features only look 30 days back from each cutoff).
 */
export async function loadHistories(
  db: Db,
  options: { eventsSince?: number; userIds?: number[] } = {},
): Promise<CustomerHistory[]> {
  const ids = options.userIds;
  let users = db.selectFrom('users').select('id').where('role', '=', 'customer');
  if (ids) users = users.where('id', 'in', ids.length ? ids : [-1]);
  const byId = new Map<number, CustomerHistory>();
  for (const u of await users.orderBy('id').execute())
    byId.set(u.id, { userId: u.id, orders: [], events: [] });

  let orders = db
    .selectFrom('orders')
    .select(['user_id', 'closed_at', 'total_cents'])
    .where('status', '=', 'CLOSED')
    .where('closed_at', 'is not', null);
  if (ids) orders = orders.where('user_id', 'in', ids.length ? ids : [-1]);
  for (const o of await orders.orderBy('user_id').orderBy('closed_at').execute()) {
    byId.get(o.user_id)?.orders.push([Number(o.closed_at), Number(o.total_cents ?? 0)]);
  }

  let events = db
    .selectFrom('events')
    .select(['user_id', 'type', 'created_at'])
    .where('user_id', 'is not', null)
    .where('type', 'in', LOADED_EVENT_TYPES);
  if (options.eventsSince !== undefined) events = events.where('created_at', '>=', options.eventsSince);
  if (ids) events = events.where('user_id', 'in', ids.length ? ids : [-1]);
  for (const e of await events.orderBy('user_id').orderBy('created_at').execute()) {
    const kind = EVENT_KIND_OF[e.type];
    if (kind) byId.get(e.user_id as number)?.events.push([Number(e.created_at), EVENT_KINDS.indexOf(kind)]);
  }
  return [...byId.values()];
}

export interface StoredModel {
  id: number;
  kind: MlKind;
  algorithm: string;
  status: MlModelsTable['status'];
  spec: ModelSpec;
  row: Awaited<ReturnType<typeof modelRows>>[number];
}

function modelRows(db: Db) {
  return db.selectFrom('ml_models').selectAll().orderBy('id', 'desc').execute();
}

export async function listModels(db: Db) {
  return modelRows(db);
}

export async function findModel(db: Db, id: number) {
  return db.selectFrom('ml_models').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function activeModels(db: Db) {
  return db.selectFrom('ml_models').selectAll().where('status', '=', 'active').orderBy('kind').execute();
}

export function specOf(row: { kind: MlKind; algorithm: string; params: string }): ModelSpec {
  return { kind: row.kind, algorithm: row.algorithm, params: JSON.parse(row.params) } as ModelSpec;
}

/** Upserts predictions in small transactions so a big rescore never blocks the shop for long. */
export async function savePredictions(
  db: Db,
  predictions: Prediction[],
  context: {
    churnModelId: number | null;
    spendModelId: number | null;
    horizonDays: number;
    computedAt: number;
  },
) {
  const BATCH = 400;
  for (let i = 0; i < predictions.length; i += BATCH) {
    const batch = predictions.slice(i, i + BATCH);
    await inTransaction(db, async (trx) => {
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
          batch.map((p) => ({
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
            features: JSON.stringify(p.features),
            explanation: p.explanation ? JSON.stringify(p.explanation) : null,
            computed_at: context.computedAt,
          })),
        )
        .execute();
    });
  }
}
