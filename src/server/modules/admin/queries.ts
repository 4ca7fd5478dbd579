import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { likeContains } from '../../db/dialect.ts';
import type { FulfillmentStatus, PaymentStatus } from '../../db/schema.ts';

/**
 * Reporting reads across other modules' tables (orders, users, events). No module offers these
 * cross-customer views and they never write, so they live here (decision 071).
 */

export interface OrderFilter {
  status?: 'TEMP' | 'CLOSED';
  /** Epoch ms bounds on when the order was placed (closed), or opened for a cart: [from, to). */
  from?: number;
  to?: number;
  username?: string;
  /** The order the search text names by its public number, if it names one. */
  orderId?: number;
  paymentStatus?: PaymentStatus;
  fulfillmentStatus?: FulfillmentStatus;
}

// A closed order counts from checkout, a cart from when it was opened.
const placedAt = sql<number>`coalesce(o.closed_at, o.created_at)`;

function filteredOrders(db: Db, filter: OrderFilter) {
  // A left join: a deleted customer's orders have no user and are listed all the same.
  let query = db.selectFrom('orders as o').leftJoin('users as u', 'u.id', 'o.user_id');
  if (filter.status) query = query.where('o.status', '=', filter.status);
  if (filter.from !== undefined) query = query.where(placedAt, '>=', filter.from);
  if (filter.to !== undefined) query = query.where(placedAt, '<', filter.to);
  // Statuses are null on a cart (its stored defaults mean nothing yet): filtering by one lists orders.
  if (filter.paymentStatus || filter.fulfillmentStatus) query = query.where('o.status', '=', 'CLOSED');
  if (filter.paymentStatus) query = query.where('o.payment_status', '=', filter.paymentStatus);
  if (filter.fulfillmentStatus) query = query.where('o.fulfillment_status', '=', filter.fulfillmentStatus);
  if (filter.username) {
    const username = likeContains(filter.username.toLowerCase());
    const orderId = filter.orderId;
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`lower(u.username) like ${username} escape '!'`,
        ...(orderId === undefined ? [] : [eb('o.id', '=', orderId)]),
      ]),
    );
  }
  return query;
}

export async function countOrders(db: Db, filter: OrderFilter): Promise<number> {
  const row = await filteredOrders(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function selectOrderPage(db: Db, filter: OrderFilter, limit: number, offset: number) {
  return filteredOrders(db, filter)
    .select([
      'o.id',
      'o.user_id as userId',
      'u.username',
      sql<number>`coalesce(u.is_synthetic, o.is_synthetic)`.as('isSynthetic'),
      'o.status',
      'o.payment_status as paymentStatus',
      'o.fulfillment_status as fulfillmentStatus',
      'o.payment_provider as paymentProvider',
      'o.created_at as createdAt',
      'o.closed_at as closedAt',
      'o.total_cents as totalCents',
    ])
    .orderBy(placedAt, 'desc')
    .orderBy('o.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** Units per order, and today's value of open carts (closed orders store their paid total). */
export function selectOrderLineTotals(db: Db, orderIds: number[]) {
  if (orderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('order_lines as l')
    .innerJoin('products as p', 'p.id', 'l.product_id')
    .select((eb) => [
      'l.order_id as orderId',
      eb.fn.sum<number>('l.quantity').as('units'),
      eb.fn.sum<number>(sql`l.quantity * p.price_cents`).as('currentValueCents'),
    ])
    .where('l.order_id', 'in', orderIds)
    .groupBy('l.order_id')
    .execute();
}

/** The order's customer; no row for an unknown order, a null user for a deleted customer's. */
export function findOrderOwner(db: Db, orderId: number) {
  return db
    .selectFrom('orders as o')
    .leftJoin('users as u', 'u.id', 'o.user_id')
    .select([
      'o.user_id as userId',
      'u.username',
      sql<number>`coalesce(u.is_synthetic, o.is_synthetic)`.as('isSynthetic'),
    ])
    .where('o.id', '=', orderId)
    .executeTakeFirst();
}

export function findUserFlags(db: Db, userId: number) {
  return db
    .selectFrom('users')
    .select(['id', 'role', 'is_synthetic as isSynthetic'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

export function selectRecentEvents(db: Db, userId: number, limit: number) {
  return db
    .selectFrom('events as e')
    .leftJoin('products as p', 'p.id', 'e.product_id')
    .select([
      'e.id',
      'e.type',
      'e.product_id as productId',
      'p.name as productName',
      'e.payload',
      'e.created_at as createdAt',
    ])
    .where('e.user_id', '=', userId)
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .execute();
}

/** Closed orders since `since`, for bucketing by day in code (portable across dialects). */
export function selectClosedOrdersSince(db: Db, since: number) {
  return (
    db
      .selectFrom('orders')
      .select(['closed_at as closedAt', 'total_cents as totalCents'])
      .where('status', '=', 'CLOSED')
      // A cancelled order took no money (or gave it back).
      .where('fulfillment_status', '!=', 'cancelled')
      .where('closed_at', '>=', since)
      .execute()
  );
}

export async function selectCounts(db: Db) {
  const users = await db
    .selectFrom('users')
    .select((eb) => [
      eb.fn.countAll<number>().as('customers'),
      eb.fn.sum<number>('is_synthetic').as('synthetic'),
    ])
    .where('role', '=', 'customer')
    .executeTakeFirstOrThrow();
  const products = await db
    .selectFrom('products')
    .select(['archived', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('archived')
    .execute();
  const orders = await db
    .selectFrom('orders')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const productCount = (archived: number) =>
    Number(products.find((p) => Number(p.archived) === archived)?.n ?? 0);
  const orderCount = (status: string) => Number(orders.find((o) => o.status === status)?.n ?? 0);
  return {
    customers: Number(users.customers),
    syntheticCustomers: Number(users.synthetic ?? 0),
    liveProducts: productCount(0),
    archivedProducts: productCount(1),
    closedOrders: orderCount('CLOSED'),
    openCarts: orderCount('TEMP'),
  };
}
