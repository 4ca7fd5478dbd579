import type { Db } from '../../../db/database.ts';

/**
 * Counts behind the ML status page and the retraining triggers. "Closed orders" are purchases:
 * CLOSED and not cancelled (decision 156), as the models see them.
 */

/** Closed orders, optionally only those closed after `after`. */
export async function countClosedOrders(db: Db, after: number | null): Promise<number> {
  let q = db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'CLOSED')
    .where('fulfillment_status', '!=', 'cancelled');
  if (after !== null) q = q.where('closed_at', '>', after);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Distinct customers with a closed order before `before`. */
export async function countCustomersOrderedBefore(db: Db, before: number): Promise<number> {
  const r = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.count<number>('user_id').distinct().as('n'))
    .where('status', '=', 'CLOSED')
    .where('fulfillment_status', '!=', 'cancelled')
    .where('closed_at', '<', before)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Customers, closed orders or events; only the declared-synthetic ones when `synthetic`. */
export async function countData(
  db: Db,
  table: 'users' | 'orders' | 'events',
  synthetic: boolean,
): Promise<number> {
  let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (table === 'users') q = q.where('role', '=', 'customer');
  if (table === 'orders') q = q.where('status', '=', 'CLOSED').where('fulfillment_status', '!=', 'cancelled');
  if (synthetic) q = q.where('is_synthetic', '=', 1);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Closed orders since `since` (time and total), for the monthly data-volume chart. */
export function closedOrdersSince(db: Db, since: number) {
  return db
    .selectFrom('orders')
    .select(['closed_at', 'total_cents'])
    .where('status', '=', 'CLOSED')
    .where('fulfillment_status', '!=', 'cancelled')
    .where('closed_at', '>=', since)
    .execute();
}

/** Events in [from, to): an indexed range count, portable across dialects. */
export async function countEventsBetween(db: Db, from: number, to: number): Promise<number> {
  const r = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
