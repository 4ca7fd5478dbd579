import type { Order, OrderLine } from '../../../contract/orders.ts';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../app-error.ts';
import {
  type OrderLineRow,
  type OrderRow,
  type OrderWithLinesRow,
  selectOrdersWithLines,
} from './queries.ts';

type Reader = Parameters<typeof selectOrdersWithLines>[0];

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

function toOrder(row: OrderWithLinesRow): Order {
  const shaped = row.lines.map((l) => toLine(l, row.status));
  return {
    id: Number(row.id),
    status: row.status,
    createdAt: new Date(Number(row.createdAt)).toISOString(),
    closedAt: row.closedAt === null ? null : new Date(Number(row.closedAt)).toISOString(),
    shippingAddress: row.shippingAddress,
    lines: shaped,
    totalCents:
      row.status === 'CLOSED'
        ? Number(row.totalCents)
        : shaped.reduce((sum, line) => sum + line.lineTotalCents, 0),
  };
}

async function loadOrders(
  db: Reader,
  userId: number,
  filter: Parameters<typeof selectOrdersWithLines>[2] = {},
): Promise<Order[]> {
  const rows = await selectOrdersWithLines(db, userId, filter);
  return rows.sort(byHistoryOrder).map(toOrder);
}

export function listOrders(db: Db, userId: number): Promise<Order[]> {
  return loadOrders(db, userId);
}

/** One of the user's orders; another user's id is 404 like an unknown one. */
export async function getOrder(db: Reader, userId: number, orderId: number): Promise<Order> {
  const [order] = await loadOrders(db, userId, { orderId });
  if (!order) throw notFound('Order');
  return order;
}

/** The user's TEMP order (the cart), or null. */
export async function findOpenOrder(db: Reader, userId: number): Promise<Order | null> {
  const [order] = await loadOrders(db, userId, { status: 'TEMP' });
  return order ?? null;
}
