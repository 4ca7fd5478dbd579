import type { Db } from '../../../db/database.ts';
import type { EventType } from '../../../db/schema.ts';
import { type CustomerHistory, EVENT_KINDS, type EventKind } from '../features.ts';

/** Reading the behaviour history: every customer's closed orders and events, in time order. */

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
      .select(['user_id', 'status', 'fulfillment_status', 'closed_at', 'total_cents'])
      .where('id', '>', from)
      .where('id', '<=', to);
    if (only) q = q.where('user_id', 'in', only);
    for (const o of await q.execute()) {
      if (o.status !== 'CLOSED' || o.closed_at === null || o.user_id === null) continue;
      // A cancelled order bought nothing (decision 156).
      if (o.fulfillment_status === 'cancelled') continue;
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

/** The shop's own ids of imported customers (users.external_id), by user id. */
export async function externalIds(db: Db): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'external_id'])
    .where('external_id', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.id, r.external_id as string]));
}
