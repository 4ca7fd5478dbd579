import type { Transaction } from 'kysely';
import type { Order } from '../../../contract/orders.ts';
import { AppError, notFound } from '../../app-error.ts';
import { inTransaction } from '../../db/dialect.ts';
import type { Database } from '../../db/schema.ts';
import { PaymentProviderError } from '../payments/provider.ts';
import type { OrdersContext } from './context.ts';
import { getAnyOrder } from './history.ts';
import {
  addTimeline,
  type LockedOrder,
  lockOrder,
  restock,
  selectLines,
  updateOrderState,
} from './lifecycle-queries.ts';
import { writeOrderMail } from './notify.ts';

/**
 * What happens to an order after checkout (docs/decisions/130-order-lifecycle.md). Each change
 * locks the order row, checks the transition under the lock, and writes state, timeline and mail
 * in one transaction; a refused transition is 409 `invalid_transition` and changes nothing.
 */

type Trx = Transaction<Database>;

/** Who asks: the customer (their own orders only), an admin, or the payment provider. */
export type Actor =
  | { kind: 'customer'; userId: number }
  | { kind: 'admin'; userId: number }
  | { kind: 'provider' };

export function invalidTransition(order: LockedOrder, detail: string): AppError {
  return new AppError(409, 'invalid_transition', detail, {
    paymentStatus: order.paymentStatus,
    fulfillmentStatus: order.fulfillmentStatus,
  });
}

const timelineActor = (actor: Actor) =>
  actor.kind === 'provider'
    ? { actor: 'provider' as const }
    : { actor: actor.kind, adminUserId: actor.kind === 'admin' ? actor.userId : null };

/** The closed order, locked; a customer's other users' orders and carts are 404. */
async function lockClosedOrder(trx: Trx, actor: Actor, orderId: number): Promise<LockedOrder> {
  const order = await lockOrder(trx, orderId);
  if (!order || (actor.kind === 'customer' && order.userId !== actor.userId)) throw notFound('Order');
  if (order.status !== 'CLOSED') {
    if (actor.kind === 'customer') throw notFound('Order');
    throw invalidTransition(order, 'This is a cart, not a placed order');
  }
  return order;
}

async function change(
  ctx: OrdersContext,
  actor: Actor,
  orderId: number,
  work: (trx: Trx, order: LockedOrder, now: number) => Promise<AfterCommit | undefined>,
): Promise<Order> {
  const { order, after } = await inTransaction(ctx.db, async (trx) => {
    const locked = await lockClosedOrder(trx, actor, orderId);
    const after = await work(trx, locked, Date.now());
    return { order: await getAnyOrder(trx, orderId), after };
  });
  ctx.mail.nudge();
  after?.();
  return order;
}

/** Work for after the commit that must not hold the request up (it logs its own failures). */
export type AfterCommit = () => void;

/** Admin: the money of a manual order arrived (on delivery or by transfer). */
export function markOrderPaid(ctx: OrdersContext, adminId: number, orderId: number): Promise<Order> {
  const actor: Actor = { kind: 'admin', userId: adminId };
  return change(ctx, actor, orderId, async (trx, order, now) => {
    if (order.fulfillmentStatus === 'cancelled') throw invalidTransition(order, 'The order is cancelled');
    if (order.paymentStatus !== 'awaiting' && order.paymentStatus !== 'failed') {
      throw invalidTransition(order, `The order is already ${order.paymentStatus}`);
    }
    if (order.paymentProvider !== 'manual') {
      throw invalidTransition(order, 'Stripe reports this payment itself; it cannot be marked paid by hand');
    }
    await updateOrderState(trx, order, { payment_status: 'paid', paid_at: now });
    await addTimeline(trx, order.id, { type: 'paid', ...timelineActor(actor) }, now);
    return undefined;
  });
}

/** Admin: handed to the carrier. A card order ships once paid; a manual one may be paid on delivery. */
export function shipOrder(
  ctx: OrdersContext,
  adminId: number,
  orderId: number,
  shipment: { carrier: string; trackingNumber: string },
): Promise<Order> {
  const actor: Actor = { kind: 'admin', userId: adminId };
  return change(ctx, actor, orderId, async (trx, order, now) => {
    if (order.fulfillmentStatus !== 'unfulfilled') {
      throw invalidTransition(order, `The order is already ${order.fulfillmentStatus}`);
    }
    if (order.paymentProvider !== 'manual' && order.paymentStatus !== 'paid') {
      throw invalidTransition(order, 'A card order ships only once it is paid');
    }
    await updateOrderState(trx, order, {
      fulfillment_status: 'shipped',
      carrier: shipment.carrier,
      tracking_number: shipment.trackingNumber,
      shipped_at: now,
    });
    const note = `${shipment.carrier} ${shipment.trackingNumber}`;
    await addTimeline(trx, order.id, { type: 'shipped', ...timelineActor(actor), note }, now);
    await writeOrderMail(trx, order.id, { kind: 'order_shipped' });
    return undefined;
  });
}

export function deliverOrder(ctx: OrdersContext, adminId: number, orderId: number): Promise<Order> {
  const actor: Actor = { kind: 'admin', userId: adminId };
  return change(ctx, actor, orderId, async (trx, order, now) => {
    if (order.fulfillmentStatus !== 'shipped') {
      throw invalidTransition(
        order,
        `Only a shipped order can be delivered; this one is ${order.fulfillmentStatus}`,
      );
    }
    await updateOrderState(trx, order, { fulfillment_status: 'delivered', delivered_at: now });
    await addTimeline(trx, order.id, { type: 'delivered', ...timelineActor(actor) }, now);
    return undefined;
  });
}

/**
 * Cancels an unfulfilled order: every line's quantity goes back to stock in the same transaction
 * as the state change, so of two racing cancels one restocks and the other gets 409. A paid card
 * order is refunded through its provider while the lock is held (idempotently per order, so a
 * retry after a failed commit refunds once); if the provider fails, nothing changes (502).
 */
export function cancelOrder(
  ctx: OrdersContext,
  actor: Actor,
  orderId: number,
  reason: string,
): Promise<Order> {
  return change(ctx, actor, orderId, (trx, order, now) => cancelLocked(ctx, trx, order, actor, reason, now));
}

export async function cancelLocked(
  ctx: OrdersContext,
  trx: Trx,
  order: LockedOrder,
  actor: Actor,
  reason: string,
  now: number,
): Promise<AfterCommit | undefined> {
  if (order.fulfillmentStatus !== 'unfulfilled') {
    throw invalidTransition(
      order,
      order.fulfillmentStatus === 'cancelled'
        ? 'The order is already cancelled'
        : `The order is already ${order.fulfillmentStatus}`,
    );
  }
  const refunded = order.paymentStatus === 'paid' && (await refundPaid(ctx, order));
  const lines = await selectLines(trx, order.id);
  await restock(trx, lines, now);
  await updateOrderState(trx, order, {
    fulfillment_status: 'cancelled',
    cancelled_at: now,
    cancel_reason: reason,
    ...(refunded ? { payment_status: 'refunded' as const } : {}),
  });
  await addTimeline(trx, order.id, { type: 'cancelled', ...timelineActor(actor), note: reason }, now);
  if (refunded) await addTimeline(trx, order.id, { type: 'refunded', actor: 'provider' }, now);
  const refund = refunded ? 'refunded' : order.paymentStatus === 'paid' ? 'by_hand' : 'none';
  await writeOrderMail(trx, order.id, { kind: 'order_cancelled', refund });
  const session = order.paymentStatus === 'awaiting' ? order.paymentSessionId : null;
  return () => {
    ctx.events.emit('stock.changed', { productIds: lines.map((l) => l.productId) });
    // Close the payment page so that nobody pays a cancelled order; should the shopper manage to
    // in the meantime, the provider's "completed" event refunds it (payment-events.ts).
    if (session) {
      ctx.payments
        .closeCheckout(session)
        .catch((error) => ctx.log.warn({ err: error }, 'checkout not closed'));
    }
  };
}

export async function refundPaid(ctx: OrdersContext, order: LockedOrder): Promise<boolean> {
  try {
    return await ctx.payments.refund({
      orderId: order.id,
      sessionId: order.paymentSessionId,
      paymentIntentId: order.paymentIntentId,
      amountCents: Number(order.totalCents ?? 0),
    });
  } catch (error) {
    if (!(error instanceof PaymentProviderError)) throw error;
    ctx.log.error({ err: error, orderId: order.id }, 'refund failed');
    throw new AppError(
      502,
      'payment_provider_unavailable',
      'The refund could not be made; nothing was changed. Try again.',
    );
  }
}
