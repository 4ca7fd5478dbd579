import type { Order, OrderLine, TimelineEntry } from '../../../contract/orders.ts';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../app-error.ts';
import { orderNumbers } from './order-number.ts';
import {
  type CartProductRow,
  type LockedCart,
  type OrderLineRow,
  type OrderRow,
  type OrderScope,
  type OrderWithLinesRow,
  selectOrdersWithLines,
  selectTimelines,
  type TimelineRow,
} from './queries.ts';

type Reader = Parameters<typeof selectOrdersWithLines>[0];

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/** TEMP first (there is at most one), then CLOSED newest first. */
function byHistoryOrder(a: OrderRow, b: OrderRow): number {
  if (a.status !== b.status) return a.status === 'TEMP' ? -1 : 1;
  return (Number(b.closedAt) || 0) - (Number(a.closedAt) || 0) || b.id - a.id;
}

function toLine(row: OrderLineRow, status: Order['status']): OrderLine {
  // A closed order shows what was paid; an open one shows today's price.
  const unitPriceCents = status === 'CLOSED' ? Number(row.unitPriceCents) : Number(row.currentPriceCents);
  const quantity = Number(row.quantity);
  return {
    productId: Number(row.productId),
    name: row.name,
    // The catalog stores the image's public URL (a shipped demo image or an upload).
    imageUrl: row.imagePath,
    unitPriceCents,
    quantity,
    lineTotalCents: unitPriceCents * quantity,
    stock: Number(row.stock),
  };
}

function toEntry(row: TimelineRow, provider: string): TimelineEntry {
  const by =
    row.actor === 'admin'
      ? (row.adminUsername ?? 'deleted admin')
      : row.actor === 'provider'
        ? provider
        : row.actor === 'system'
          ? 'shop'
          : 'customer';
  return { at: iso(row.createdAt) as string, type: row.type, by, note: row.note };
}

function toOrder(
  row: OrderWithLinesRow,
  numberOf: (orderId: number) => string,
  timeline: TimelineRow[],
): Order {
  const shaped = row.lines.map((l) => toLine(l, row.status));
  const closed = row.status === 'CLOSED';
  const awaitingOnline = closed && row.paymentStatus === 'awaiting' && row.checkoutUrl !== null;
  return {
    id: Number(row.id),
    number: closed ? numberOf(Number(row.id)) : null,
    status: row.status,
    createdAt: iso(row.createdAt) as string,
    closedAt: iso(row.closedAt),
    shippingAddress: row.shippingAddress,
    lines: shaped,
    totalCents: closed ? Number(row.totalCents) : shaped.reduce((sum, line) => sum + line.lineTotalCents, 0),
    paymentStatus: closed ? row.paymentStatus : null,
    fulfillmentStatus: closed ? row.fulfillmentStatus : null,
    payment: closed
      ? {
          provider: row.paymentProvider,
          ...(awaitingOnline ? { checkoutUrl: row.checkoutUrl as string } : {}),
        }
      : null,
    shipment:
      closed && row.carrier !== null && row.shippedAt !== null
        ? {
            carrier: row.carrier,
            trackingNumber: row.trackingNumber ?? '',
            shippedAt: iso(row.shippedAt) as string,
          }
        : null,
    cancellable: closed && row.fulfillmentStatus === 'unfulfilled',
    cancelReason: row.cancelReason,
    timeline: timeline.map((t) => toEntry(t, row.paymentProvider)),
  };
}

const noNumber = (): never => {
  throw new Error('a TEMP order has no number');
};

/**
 * What a read of the cart returns after a change that set the product's line to `change.quantity`
 * (0: removed), built from the cart as locked and its lines' products: a cart change reads nothing
 * after it writes (docs/decisions/180-cart-changes-answer-from-their-locked-rows.md).
 */
/** A line as a read of its order returns it, from its product as read under the lock (unpaid). */
function lineRowOf(products: Map<number, CartProductRow>, productId: number, quantity: number): OrderLineRow {
  const product = products.get(productId);
  if (!product) throw new Error(`the product of line ${productId} was not read`);
  const { name, imagePath, priceCents, stock } = product;
  return { productId, quantity, unitPriceCents: null, name, imagePath, currentPriceCents: priceCents, stock };
}

export function cartAfter(
  cart: LockedCart,
  products: Map<number, CartProductRow>,
  change: { productId: number; quantity: number },
): Order {
  const quantities = cart.lines.map((l): [number, number] => [l.productId, l.quantity]);
  const changed = quantities.find(([productId]) => productId === change.productId);
  if (changed) changed[1] = change.quantity;
  else quantities.push([change.productId, change.quantity]);
  const lines = quantities
    .filter(([, quantity]) => quantity > 0)
    .map(([productId, quantity]) => lineRowOf(products, productId, quantity));
  // A TEMP order has neither a number nor a timeline.
  return toOrder({ ...cart.order, lines }, noNumber, []);
}

/**
 * What a read of the order returns right after checkout closed `cart` with `closed`: built from
 * the locked cart, its locked products (stock as it was before the checkout took its share) and
 * what the checkout wrote, as a cart change does (decision 180), instead of reading it back.
 */
export function closedAfter(
  cart: LockedCart,
  products: Map<number, CartProductRow>,
  closed: Pick<OrderRow, 'closedAt' | 'shippingAddress' | 'totalCents' | 'paymentProvider' | 'checkoutUrl'>,
  numberOf: (orderId: number) => string,
): Order {
  const lines = cart.lines.map(({ productId, quantity }): OrderLineRow => {
    const line = lineRowOf(products, productId, quantity);
    return { ...line, unitPriceCents: line.currentPriceCents, stock: line.stock - quantity };
  });
  const row: OrderWithLinesRow = {
    ...cart.order,
    ...closed,
    status: 'CLOSED',
    paymentStatus: 'awaiting',
    fulfillmentStatus: 'unfulfilled',
    lines,
  };
  const placed: TimelineRow = {
    orderId: cart.order.id,
    type: 'placed',
    actor: 'customer',
    adminUsername: null,
    note: null,
    createdAt: Number(closed.closedAt),
  };
  return toOrder(row, numberOf, [placed]);
}

export async function loadOrders(
  db: Reader,
  scope: OrderScope,
  filter: Parameters<typeof selectOrdersWithLines>[2] = {},
): Promise<Order[]> {
  const rows = (await selectOrdersWithLines(db, scope, filter)).sort(byHistoryOrder);
  const timelines = Map.groupBy(
    await selectTimelines(
      db,
      rows.filter((r) => r.status === 'CLOSED').map((r) => Number(r.id)),
    ),
    (t) => Number(t.orderId),
  );
  const numbers = await orderNumbers(db);
  return rows.map((r) => toOrder(r, (id) => numbers.numberOf(id), timelines.get(Number(r.id)) ?? []));
}

export function listOrders(db: Db, userId: number): Promise<Order[]> {
  return loadOrders(db, { userId });
}

/** One of the user's orders; another user's id is 404 like an unknown one. */
export async function getOrder(db: Reader, userId: number, orderId: number): Promise<Order> {
  const [order] = await loadOrders(db, { userId }, { orderId });
  if (!order) throw notFound('Order');
  return order;
}

/** Any user's order (or a deleted customer's), for the console and the mails. */
export async function getAnyOrder(db: Reader, orderId: number): Promise<Order> {
  const [order] = await loadOrders(db, { anyUser: true }, { orderId });
  if (!order) throw notFound('Order');
  return order;
}

/** The user's TEMP order (the cart), or null. */
export async function findOpenOrder(db: Reader, userId: number): Promise<Order | null> {
  const [order] = await loadOrders(db, { userId }, { status: 'TEMP' });
  return order ?? null;
}
