import { sql } from 'kysely';
import type { Db } from '../../src/server/db/database.ts';

/** Invariants of the order book that must hold after any crash, race or restart. */

export interface OrderBookCheck {
  /** Products whose stock drop differs from the quantities in CLOSED lines. */
  stockMismatches: Array<{ productId: number; initial: number; final: number; sold: number }>;
  /** CLOSED orders missing a field checkout sets, or TEMP orders carrying one. */
  halfClosed: number[];
  negativeStock: number[];
  closedOrders: number;
  soldUnits: number;
}

export async function checkOrderBook(db: Db, initialStock: Map<number, number>): Promise<OrderBookCheck> {
  const products = await db.selectFrom('products').select(['id', 'stock']).execute();
  const sold = await db
    .selectFrom('order_lines')
    .innerJoin('orders', 'orders.id', 'order_lines.order_id')
    .where('orders.status', '=', 'CLOSED')
    .select(['order_lines.product_id as productId', sql<number>`sum(order_lines.quantity)`.as('quantity')])
    .groupBy('order_lines.product_id')
    .execute();
  const soldBy = new Map(sold.map((s) => [s.productId, Number(s.quantity)]));
  const stockMismatches: OrderBookCheck['stockMismatches'] = [];
  for (const p of products) {
    const initial = initialStock.get(p.id);
    if (initial === undefined) continue;
    const units = soldBy.get(p.id) ?? 0;
    if (initial - p.stock !== units)
      stockMismatches.push({ productId: p.id, initial, final: p.stock, sold: units });
  }

  const orders = await db
    .selectFrom('orders')
    .select(['id', 'status', 'closed_at', 'shipping_address', 'total_cents'])
    .execute();
  const lines = await db
    .selectFrom('order_lines')
    .select(['order_id as orderId', 'quantity', 'unit_price_cents as unitPriceCents'])
    .execute();
  const linesOf = new Map<number, typeof lines>();
  for (const l of lines) linesOf.set(l.orderId, [...(linesOf.get(l.orderId) ?? []), l]);
  const halfClosed: number[] = [];
  for (const o of orders) {
    const own = linesOf.get(o.id) ?? [];
    if (o.status === 'CLOSED') {
      const total = own.reduce((sum, l) => sum + (l.unitPriceCents ?? Number.NaN) * l.quantity, 0);
      const complete =
        o.closed_at !== null &&
        o.shipping_address !== null &&
        own.length > 0 &&
        own.every((l) => l.unitPriceCents !== null) &&
        Number(o.total_cents) === total;
      if (!complete) halfClosed.push(o.id);
    } else if (o.closed_at !== null || o.total_cents !== null || own.some((l) => l.unitPriceCents !== null)) {
      halfClosed.push(o.id);
    }
  }
  return {
    stockMismatches,
    halfClosed,
    negativeStock: products.filter((p) => p.stock < 0).map((p) => p.id),
    closedOrders: orders.filter((o) => o.status === 'CLOSED').length,
    soldUnits: [...soldBy.values()].reduce((a, b) => a + b, 0),
  };
}

export interface Buyer {
  id: number;
  token: string;
}

export const authJson = (token: string) => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
});

export async function addToCart(baseUrl: string, buyer: Buyer, productId: number, quantity: number) {
  const res = await fetch(`${baseUrl}/api/cart/items`, {
    method: 'POST',
    headers: authJson(buyer.token),
    body: JSON.stringify({ productId, quantity }),
  });
  if (res.status !== 200) throw new Error(`add to cart: ${res.status} ${await res.text()}`);
}

/** The status of a checkout, or 'network' when the connection failed (server gone). */
export async function checkout(baseUrl: string, buyer: Buyer): Promise<number | 'network'> {
  try {
    const res = await fetch(`${baseUrl}/api/cart/checkout`, {
      method: 'POST',
      headers: authJson(buyer.token),
      body: JSON.stringify({ shippingAddress: '1 Test Street, Springfield' }),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 'network';
  }
}
