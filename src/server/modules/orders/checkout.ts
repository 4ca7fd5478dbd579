import type { Order, StockShortage } from '../../../contract/orders.ts';
import { inTransaction } from '../../db/dialect.ts';
import type { Transaction } from 'kysely';
import { AppError } from '../../app-error.ts';
import type { Database } from '../../db/schema.ts';
import { PaymentProviderError, type StartedCheckout } from '../payments/provider.ts';
import { addTimeline } from './lifecycle-queries.ts';
import { writeOrderMail } from './notify.ts';
import { orderNumbers } from './order-number.ts';
import { noOpenOrder } from './cart-service.ts';
import { type OrdersContext, recordUserEvent } from './context.ts';
import { closedAfter, getOrder } from './history.ts';
import {
  type CartProductRow,
  closeOrder,
  decrementStocks,
  findOrderByIdempotencyKey,
  lockCart,
  type LineRow,
  lockProducts,
  snapshotLinePrices,
} from './queries.ts';

// orders.total_cents is a 32-bit INT on MySQL.
const MAX_ORDER_TOTAL_CENTS = 2_147_483_647;

interface Closed {
  orderId: number;
  totalCents: number;
  items: { productId: number; quantity: number; unitPriceCents: number }[];
}

/**
 * Turns the user's TEMP order into a CLOSED one in a single transaction: lock the order, lock its
 * products in ascending id order, re-check and decrement stock, snapshot prices, store address and
 * total. Either every line succeeds or nothing changes. With an `Idempotency-Key` already used by
 * this user, the order it closed is returned instead (docs/decisions/023-checkout-idempotency.md).
 */
export async function checkoutCart(
  ctx: OrdersContext,
  userId: number,
  input: {
    shippingAddress: string;
    idempotencyKey: string | null;
    /** Where a payment provider sends the shopper back: the shop's page of this order. */
    returnUrl: (orderNumber: string) => string;
  },
): Promise<Order> {
  const { order, closed } = await inTransaction(ctx.db, async (trx) => {
    // Taken first: a second checkout of the same cart waits here and then finds it closed.
    const cart = await lockCart(trx, userId);
    if (input.idempotencyKey) {
      const earlier = await findOrderByIdempotencyKey(trx, userId, input.idempotencyKey);
      if (earlier) return { order: await getOrder(trx, userId, earlier.id), closed: null };
    }
    if (!cart || cart.lines.length === 0) throw noOpenOrder();
    const open = cart.order;
    // In product order, as the products are locked.
    const lines = cart.lines.toSorted((a, b) => a.productId - b.productId);

    const products = new Map(
      (
        await lockProducts(
          trx,
          lines.map((l) => l.productId),
        )
      ).map((p) => [p.id, p]),
    );
    const shortages: StockShortage[] = [];
    let totalCents = 0;
    for (const line of lines) {
      const product = products.get(line.productId);
      const available = product && !product.archived ? product.stock : 0;
      if (line.quantity > available) {
        shortages.push({ productId: line.productId, requested: line.quantity, available });
      }
      totalCents += (product?.priceCents ?? 0) * line.quantity;
    }
    if (shortages.length > 0) {
      throw new AppError(409, 'insufficient_stock', 'Some items are no longer available in that quantity', {
        items: shortages,
      });
    }
    if (totalCents > MAX_ORDER_TOTAL_CENTS) {
      throw new AppError(409, 'order_too_large', 'The order total is too large for one order');
    }

    const now = Date.now();
    const items: Closed['items'] = lines.map((line) => ({
      productId: line.productId,
      quantity: line.quantity,
      unitPriceCents: products.get(line.productId)!.priceCents,
    }));
    // Cannot fail while the row locks are held; if it ever does, the whole checkout rolls back.
    if (!(await decrementStocks(trx, lines, now))) throw new Error('stock changed under its lock');
    await snapshotLinePrices(
      trx,
      lines.map((line) => ({ id: line.id, unitPriceCents: products.get(line.productId)!.priceCents })),
    );
    const checkout = await startPayment(ctx, trx, open.id, input.returnUrl, lines, products);
    const values = {
      closedAt: now,
      shippingAddress: input.shippingAddress,
      totalCents,
      paymentProvider: ctx.payments.name,
      checkoutUrl: checkout?.checkoutUrl ?? null,
    };
    const flipped = await closeOrder(trx, open.id, {
      ...values,
      idempotencyKey: input.idempotencyKey,
      paymentSessionId: checkout?.sessionId ?? null,
    });
    if (!flipped) throw new Error(`order ${open.id} left TEMP under its lock`);
    await addTimeline(trx, open.id, { type: 'placed', actor: 'customer' }, now);
    const numbers = await orderNumbers(trx);
    const order = closedAfter(cart, products, values, (id) => numbers.numberOf(id));
    // A card order is confirmed once the provider reports the payment (payment-events.ts).
    if (!checkout) await writeOrderMail(trx, open.id, { kind: 'order_confirmation' }, { order, userId });
    return { order, closed: { orderId: open.id, totalCents, items } satisfies Closed };
  });

  if (closed) {
    ctx.mail.nudge();
    await recordUserEvent(ctx, userId, 'checkout', {
      payload: { orderId: closed.orderId, totalCents: closed.totalCents, items: closed.items },
    });
    try {
      ctx.events.emit('stock.changed', { productIds: closed.items.map((i) => i.productId) });
      ctx.events.emit('order.closed', { userId, orderId: closed.orderId, totalCents: closed.totalCents });
    } catch (error) {
      ctx.log.error({ err: error }, 'a listener of the closed order failed');
    }
  }
  return order;
}

/**
 * Opens the provider's payment page for the order while its locks are held: if the provider
 * cannot be reached, the checkout fails (502) and nothing changes. Null for manual payment.
 */
async function startPayment(
  ctx: OrdersContext,
  trx: Transaction<Database>,
  orderId: number,
  returnUrl: (orderNumber: string) => string,
  lines: LineRow[],
  products: Map<number, CartProductRow>,
): Promise<StartedCheckout | null> {
  if (ctx.payments.name === 'manual') return null;
  const orderNumber = (await orderNumbers(trx)).numberOf(orderId);
  try {
    return await ctx.payments.startCheckout({
      orderId,
      orderNumber,
      returnUrl: returnUrl(orderNumber),
      lines: lines.map((line) => {
        const product = products.get(line.productId)!;
        return { name: product.name, unitPriceCents: product.priceCents, quantity: line.quantity };
      }),
    });
  } catch (error) {
    if (!(error instanceof PaymentProviderError)) throw error;
    ctx.log.error({ err: error }, 'payment checkout could not start');
    throw new AppError(
      502,
      'payment_provider_unavailable',
      'Payment is unavailable right now; nothing was charged or changed. Try again.',
    );
  }
}
