import { sql } from 'kysely';
import type { DbTransaction, Executor } from '../../db/database.ts';
import { forUpdate } from '../../db/dialect.ts';
import type { FulfillmentStatus, PaymentStatus, TimelineActor } from '../../db/schema.ts';

/**
 * SQL of the orders module. It reads product rows itself (not through the catalog service) because
 * cart changes and checkout must see and lock them inside their own transaction; see
 * docs/decisions/021-orders-read-product-rows.md.
 */

/** Inserts a TEMP order; fails with a unique violation when the user already has one. */
export async function insertOpenOrder(trx: DbTransaction, userId: number, now: number): Promise<number> {
  const result = await trx
    .insertInto('orders')
    .values({ user_id: userId, status: 'TEMP', created_at: now })
    .executeTakeFirstOrThrow();
  return Number(result.insertId);
}

/** TEMP orders for several users in one statement; a unique violation when one already has one. */
export async function insertOpenOrders(trx: DbTransaction, userIds: number[], now: number): Promise<void> {
  await trx
    .insertInto('orders')
    .values(userIds.map((userId) => ({ user_id: userId, status: 'TEMP' as const, created_at: now })))
    .execute();
}

export function deleteOrder(trx: DbTransaction, orderId: number) {
  return trx.deleteFrom('orders').where('id', '=', orderId).where('status', '=', 'TEMP').execute();
}

/** What a cart change reads of a product: to check stock and to show the line. */
export interface CartProductRow {
  id: number;
  name: string;
  imagePath: string | null;
  priceCents: number;
  stock: number;
  archived: number;
}

export interface LineRow {
  id: number;
  productId: number;
  quantity: number;
}

export function insertLine(trx: DbTransaction, orderId: number, productId: number, quantity: number) {
  return insertLines(trx, [{ orderId, productId, quantity }]);
}

export function updateLineQuantity(trx: DbTransaction, lineId: number, quantity: number) {
  return trx.updateTable('order_lines').set({ quantity }).where('id', '=', lineId).execute();
}

export async function deleteLine(trx: DbTransaction, orderId: number, productId: number): Promise<boolean> {
  const result = await trx
    .deleteFrom('order_lines')
    .where('order_id', '=', orderId)
    .where('product_id', '=', productId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A TEMP order as `lockCarts` returns it: its columns and all its lines, oldest line first. */
export interface LockedCart {
  order: OrderRow;
  lines: LineRow[];
}

export const lineOf = (cart: LockedCart, productId: number) =>
  cart.lines.find((l) => l.productId === productId);

export const productIdsOf = (cart: LockedCart) => cart.lines.map((l) => l.productId);

/**
 * Several users' TEMP orders with all their lines, locked until the transaction ends (the per-user
 * cart lock), in one statement; a user without one is absent. Lock carts only this way, through the
 * `open_owner_id` index: locking by primary key and then closing the order deadlocks on MySQL with
 * a cart change queued on the index entry.
 */
export async function lockCarts(trx: DbTransaction, userIds: number[]): Promise<Map<number, LockedCart>> {
  const rows = await forUpdate(
    trx,
    trx
      .selectFrom('orders')
      .leftJoin('order_lines', 'order_lines.order_id', 'orders.id')
      .select([
        ...ORDER_COLUMNS,
        'order_lines.id as lineId',
        'order_lines.product_id as productId',
        'order_lines.quantity',
      ])
      .where('orders.open_owner_id', 'in', userIds)
      .where('orders.status', '=', 'TEMP')
      .orderBy('orders.id')
      .orderBy('order_lines.id'),
  ).execute();
  const carts = new Map<number, LockedCart>();
  for (const { lineId, productId, quantity, ...order } of rows) {
    const userId = Number(order.userId);
    const cart = carts.get(userId) ?? { order, lines: [] };
    carts.set(userId, cart);
    if (lineId !== null && productId !== null)
      cart.lines.push({ id: lineId, productId, quantity: Number(quantity) });
  }
  return carts;
}

/** The user's TEMP order with all its lines, locked; undefined without one. */
export async function lockCart(trx: DbTransaction, userId: number): Promise<LockedCart | undefined> {
  return (await lockCarts(trx, [userId])).get(userId);
}

/** The products of these ids (repeats allowed), by id. */
export async function findProducts(db: Executor, productIds: number[]): Promise<Map<number, CartProductRow>> {
  const rows = await db
    .selectFrom('products')
    .select(['id', 'name', 'image_path as imagePath', 'price_cents as priceCents', 'stock', 'archived'])
    .where('id', 'in', [...new Set(productIds)])
    .execute();
  return new Map(rows.map((p) => [p.id, p]));
}

/** `CASE id WHEN … THEN … END`: a value per row id, for updating several rows in one statement. */
function byId(values: { id: number; value: number }[]) {
  return sql<number>`CASE id ${sql.join(
    values.map((v) => sql`WHEN ${v.id} THEN ${v.value}`),
    sql` `,
  )} END`;
}

/** Sets several lines' quantities in one statement. */
export function setLineQuantities(trx: DbTransaction, lines: { id: number; quantity: number }[]) {
  return trx
    .updateTable('order_lines')
    .set({ quantity: byId(lines.map((l) => ({ id: l.id, value: l.quantity }))) })
    .where(
      'id',
      'in',
      lines.map((l) => l.id),
    )
    .execute();
}

/** Inserts several new lines in one statement. */
export function insertLines(
  trx: DbTransaction,
  lines: { orderId: number; productId: number; quantity: number }[],
) {
  return trx
    .insertInto('order_lines')
    .values(
      lines.map((l) => ({
        order_id: l.orderId,
        product_id: l.productId,
        quantity: l.quantity,
        unit_price_cents: null,
      })),
    )
    .execute();
}

/** Locks the products in ascending id order, so two checkouts never wait on each other in a cycle. */
export function lockProducts(trx: DbTransaction, productIds: number[]): Promise<CartProductRow[]> {
  return forUpdate(
    trx,
    trx
      .selectFrom('products')
      .select(['id', 'name', 'image_path as imagePath', 'price_cents as priceCents', 'stock', 'archived'])
      .where('id', 'in', productIds)
      .orderBy('id'),
  ).execute();
}

/**
 * Takes each line's quantity off its product's stock, in one statement; false when a product had
 * too little (then nothing may be kept: the caller's transaction must roll back).
 */
export async function decrementStocks(
  trx: DbTransaction,
  lines: { productId: number; quantity: number }[],
  now: number,
): Promise<boolean> {
  const taken = byId(lines.map((l) => ({ id: l.productId, value: l.quantity })));
  const result = await trx
    .updateTable('products')
    .set({ stock: sql<number>`stock - ${taken}`, updated_at: now })
    .where(
      'id',
      'in',
      lines.map((l) => l.productId),
    )
    .where('stock', '>=', taken)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === lines.length;
}

/** Records each line's unit price as paid, in one statement. */
export function snapshotLinePrices(trx: DbTransaction, lines: { id: number; unitPriceCents: number }[]) {
  return trx
    .updateTable('order_lines')
    .set({ unit_price_cents: byId(lines.map((l) => ({ id: l.id, value: l.unitPriceCents }))) })
    .where(
      'id',
      'in',
      lines.map((l) => l.id),
    )
    .execute();
}

export async function closeOrder(
  trx: DbTransaction,
  orderId: number,
  values: {
    closedAt: number;
    shippingAddress: string;
    totalCents: number;
    idempotencyKey: string | null;
    paymentProvider: 'manual' | 'stripe';
    paymentSessionId: string | null;
    checkoutUrl: string | null;
  },
): Promise<boolean> {
  const result = await trx
    .updateTable('orders')
    .set({
      status: 'CLOSED',
      closed_at: values.closedAt,
      shipping_address: values.shippingAddress,
      total_cents: values.totalCents,
      idempotency_key: values.idempotencyKey,
      payment_provider: values.paymentProvider,
      payment_status: 'awaiting',
      fulfillment_status: 'unfulfilled',
      payment_session_id: values.paymentSessionId,
      checkout_url: values.checkoutUrl,
    })
    .where('id', '=', orderId)
    .where('status', '=', 'TEMP')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// A plain read: at READ COMMITTED and after the TEMP order lock it sees a concurrent checkout's commit.
export function findOrderByIdempotencyKey(trx: DbTransaction, userId: number, key: string) {
  return trx
    .selectFrom('orders')
    .select(['id', 'status'])
    .where('user_id', '=', userId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export interface OrderRow {
  id: number;
  userId: number | null;
  status: 'TEMP' | 'CLOSED';
  createdAt: number;
  closedAt: number | null;
  shippingAddress: string | null;
  totalCents: number | null;
  paymentProvider: 'manual' | 'stripe';
  paymentStatus: PaymentStatus;
  fulfillmentStatus: FulfillmentStatus;
  checkoutUrl: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  shippedAt: number | null;
  cancelReason: string | null;
}

/** The columns of an `OrderRow`, for every read that returns one. */
const ORDER_COLUMNS = [
  'orders.id',
  'orders.user_id as userId',
  'orders.status',
  'orders.created_at as createdAt',
  'orders.closed_at as closedAt',
  'orders.shipping_address as shippingAddress',
  'orders.total_cents as totalCents',
  'orders.payment_provider as paymentProvider',
  'orders.payment_status as paymentStatus',
  'orders.fulfillment_status as fulfillmentStatus',
  'orders.checkout_url as checkoutUrl',
  'orders.carrier',
  'orders.tracking_number as trackingNumber',
  'orders.shipped_at as shippedAt',
  'orders.cancel_reason as cancelReason',
] as const;

export interface OrderLineRow {
  productId: number;
  quantity: number;
  unitPriceCents: number | null;
  name: string;
  imagePath: string | null;
  currentPriceCents: number;
  stock: number;
}

export interface OrderWithLinesRow extends OrderRow {
  lines: OrderLineRow[];
}

/** Whose orders a read may see: one user's (another user's order id finds nothing), or any. */
export type OrderScope = { userId: number } | { anyUser: true };

/** Orders with their lines, in one query, always within the scope. */
export async function selectOrdersWithLines(
  db: Executor,
  scope: OrderScope,
  filter: { orderId?: number; orderIds?: number[]; status?: OrderRow['status'] } = {},
): Promise<OrderWithLinesRow[]> {
  let query = db
    .selectFrom('orders')
    .leftJoin('order_lines', 'order_lines.order_id', 'orders.id')
    .leftJoin('products', 'products.id', 'order_lines.product_id')
    .select([
      ...ORDER_COLUMNS,
      'order_lines.product_id as productId',
      'order_lines.quantity',
      'order_lines.unit_price_cents as unitPriceCents',
      'products.name',
      'products.image_path as imagePath',
      'products.price_cents as currentPriceCents',
      'products.stock',
    ]);
  if ('userId' in scope) query = query.where('orders.user_id', '=', scope.userId);
  if (filter.orderId !== undefined) query = query.where('orders.id', '=', filter.orderId);
  if (filter.orderIds !== undefined) query = query.where('orders.id', 'in', filter.orderIds);
  if (filter.status !== undefined) query = query.where('orders.status', '=', filter.status);
  const rows = await query.orderBy('orders.id').orderBy('order_lines.id').execute();
  const orders = new Map<number, OrderWithLinesRow>();
  for (const r of rows) {
    let order = orders.get(r.id);
    if (!order) {
      const { productId, quantity, unitPriceCents, name, imagePath, currentPriceCents, stock, ...head } = r;
      order = { ...head, lines: [] };
      orders.set(r.id, order);
    }
    if (r.productId !== null) {
      order.lines.push({
        productId: r.productId,
        quantity: r.quantity as number,
        unitPriceCents: r.unitPriceCents,
        name: r.name as string,
        imagePath: r.imagePath,
        currentPriceCents: r.currentPriceCents as number,
        stock: r.stock as number,
      });
    }
  }
  return [...orders.values()];
}

export interface TimelineRow {
  orderId: number;
  type: string;
  actor: TimelineActor;
  adminUsername: string | null;
  note: string | null;
  createdAt: number;
}

/** The timelines of these orders, oldest entry first. */
export function selectTimelines(db: Executor, orderIds: number[]): Promise<TimelineRow[]> {
  if (orderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('order_timeline as t')
    .leftJoin('users as u', 'u.id', 't.admin_user_id')
    .select([
      't.order_id as orderId',
      't.type',
      't.actor',
      'u.username as adminUsername',
      't.note',
      't.created_at as createdAt',
    ])
    .where('t.order_id', 'in', orderIds)
    .orderBy('t.order_id')
    .orderBy('t.id')
    .execute();
}
