import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/dialect.ts';
import type { EventType, MlKind, MlModelsTable } from '../../db/schema.ts';
import { type CustomerHistory, EVENT_KINDS, type EventKind } from './features.ts';
import type { ModelSpec, PredictionRecord } from './pipeline.ts';

/** SQL for the ML module: reading the behaviour history and storing versions and predictions. */

const EVENT_KIND_OF: Partial<Record<EventType, EventKind>> = {
  view: 'view',
  search: 'search',
  favorite_add: 'favorite',
  cart_add: 'cart_add',
  chat: 'chat',
  checkout: 'checkout',
};

/** Primary-key slice per query when scanning orders and events. */
const PAGE = 2_000;

/**
 * Visits a table in primary-key ranges. Only the key bounds the query (other filters run in code)
 * so every slice is a cheap range read on both dialects; between slices the event loop is released,
 * which matters on SQLite where a query runs on the request thread. For a few customers the
 * user_id index is used instead, in one slice.
 */
async function scanById(
  db: Db,
  table: 'orders' | 'events',
  only: number[] | null,
  visit: (from: number, to: number) => Promise<void>,
) {
  if (only) return visit(0, Number.MAX_SAFE_INTEGER);
  const bounds = await db
    .selectFrom(table)
    .select((eb) => [eb.fn.min('id').as('lo'), eb.fn.max('id').as('hi')])
    .executeTakeFirst();
  if (bounds?.lo === null || bounds?.lo === undefined) return;
  for (let from = Number(bounds.lo) - 1; from < Number(bounds.hi); from += PAGE) {
    await visit(from, from + PAGE);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Every customer's closed orders and behaviour events, as the pure feature code wants them.
 * `eventsSince` drops older events (features only look 30 days back from each cutoff).
 */
export async function loadHistories(
  db: Db,
  options: { eventsSince?: number; userIds?: number[] } = {},
): Promise<CustomerHistory[]> {
  const ids = options.userIds;
  const only = ids ? (ids.length ? ids : [-1]) : null;
  let users = db.selectFrom('users').select('id').where('role', '=', 'customer');
  if (only) users = users.where('id', 'in', only);
  const byId = new Map<number, CustomerHistory>();
  for (const u of await users.orderBy('id').execute())
    byId.set(u.id, { userId: u.id, orders: [], events: [] });

  await scanById(db, 'orders', only, async (from, to) => {
    let q = db
      .selectFrom('orders')
      .select(['user_id', 'status', 'closed_at', 'total_cents'])
      .where('id', '>', from)
      .where('id', '<=', to);
    if (only) q = q.where('user_id', 'in', only);
    for (const o of await q.execute()) {
      if (o.status !== 'CLOSED' || o.closed_at === null || o.user_id === null) continue;
      byId.get(o.user_id)?.orders.push([Number(o.closed_at), Number(o.total_cents ?? 0)]);
    }
  });
  await scanById(db, 'events', only, async (from, to) => {
    let q = db
      .selectFrom('events')
      .select(['user_id', 'type', 'created_at'])
      .where('id', '>', from)
      .where('id', '<=', to);
    if (options.eventsSince !== undefined) q = q.where('created_at', '>=', options.eventsSince);
    if (only) q = q.where('user_id', 'in', only);
    for (const e of await q.execute()) {
      const kind = EVENT_KIND_OF[e.type];
      if (!kind || e.user_id === null) continue;
      byId.get(e.user_id)?.events.push([Number(e.created_at), EVENT_KINDS.indexOf(kind)]);
    }
  });
  // Rows come in id order; the feature code wants each customer's timeline in time order.
  let sorted = 0;
  for (const h of byId.values()) {
    h.orders.sort((a, b) => a[0] - b[0]);
    h.events.sort((a, b) => a[0] - b[0]);
    if (++sorted % 1_000 === 0) await new Promise((resolve) => setImmediate(resolve));
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
