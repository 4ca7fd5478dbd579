import { inTransaction } from '../../db/dialect.ts';
import type { ProviderEvent } from '../payments/provider.ts';
import type { OrdersContext } from './context.ts';
import { type AfterCommit, cancelLocked, refundPaid } from './fulfilment.ts';
import {
  addTimeline,
  lockOrderByPaymentSession,
  recordPaymentEvent,
  setPaymentEventOutcome,
  updateOrderState,
} from './lifecycle-queries.ts';
import { writeOrderMail } from './notify.ts';

export type PaymentEventOutcome =
  | 'duplicate'
  | 'unknown_session'
  | 'ignored'
  | 'paid'
  | 'already_paid'
  | 'refunded_after_cancel'
  | 'pending'
  | 'payment_failed'
  | 'expired_cancelled'
  | 'expired_ignored';

/**
 * Applies a verified provider event to its order, once. The event id is recorded in the same
 * transaction as its effect, so a redelivery changes nothing; each effect also checks the order's
 * state under its lock, so events arriving out of order cannot undo a later state: "expired" after
 * "paid" is ignored, and a payment completed after the order was cancelled is refunded.
 */
export async function applyPaymentEvent(
  ctx: OrdersContext,
  event: ProviderEvent,
): Promise<PaymentEventOutcome> {
  const provider = ctx.payments.name;
  const { outcome, after } = await inTransaction(ctx.db, async (trx) => {
    const now = Date.now();
    const order = event.sessionId ? await lockOrderByPaymentSession(trx, event.sessionId) : undefined;
    // Recorded before anything else: a redelivery finds it (after the first delivery's commit,
    // since both wait for the order's lock) and changes nothing.
    const fresh = await recordPaymentEvent(
      trx,
      { provider, id: event.id, type: event.type, orderId: order?.id ?? null, outcome: 'received' },
      now,
    );
    if (!fresh) return { outcome: 'duplicate' as const, after: undefined };
    const result = async (outcome: PaymentEventOutcome, after?: AfterCommit) => {
      await setPaymentEventOutcome(trx, provider, event.id, outcome);
      return { outcome, after };
    };
    if (event.effect === 'ignored') return result('ignored');
    if (!order) return result('unknown_session');
    const by = { actor: 'provider' as const };

    switch (event.effect) {
      case 'paid': {
        if (order.paymentStatus === 'paid' || order.paymentStatus === 'refunded')
          return result('already_paid');
        await updateOrderState(trx, order, {
          payment_status: 'paid',
          paid_at: now,
          payment_intent_id: event.paymentIntentId,
          checkout_url: null,
        });
        await addTimeline(trx, order.id, { type: 'paid', ...by }, now);
        if (order.fulfillmentStatus === 'cancelled') {
          const paid = { ...order, paymentStatus: 'paid' as const, paymentIntentId: event.paymentIntentId };
          await refundPaid(ctx, paid);
          await updateOrderState(trx, paid, { payment_status: 'refunded' });
          await addTimeline(
            trx,
            order.id,
            { type: 'refunded', ...by, note: 'Paid after the order was cancelled' },
            now,
          );
          await writeOrderMail(trx, order.id, { kind: 'order_cancelled', refund: 'refunded' });
          return result('refunded_after_cancel');
        }
        await writeOrderMail(trx, order.id, { kind: 'order_confirmation' });
        return result('paid');
      }
      case 'pending':
        return result('pending');
      case 'payment_failed': {
        if (order.paymentStatus !== 'awaiting') return result('ignored');
        await updateOrderState(trx, order, { payment_status: 'failed' });
        await addTimeline(trx, order.id, { type: 'payment_failed', ...by }, now);
        return result('payment_failed');
      }
      case 'expired': {
        const unpaid = order.paymentStatus === 'awaiting' || order.paymentStatus === 'failed';
        if (!unpaid || order.fulfillmentStatus !== 'unfulfilled') return result('expired_ignored');
        const reason = 'The payment was not completed in time';
        return result(
          'expired_cancelled',
          await cancelLocked(ctx, trx, order, { kind: 'provider' }, reason, now),
        );
      }
    }
  });
  ctx.mail.nudge();
  after?.();
  return outcome;
}
