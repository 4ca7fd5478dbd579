import type { Transaction, Updateable } from 'kysely';
import { forUpdate, isUniqueViolation } from '../../db/dialect.ts';
import type {
  Database,
  FulfillmentStatus,
  OrdersTable,
  PaymentStatus,
  TimelineActor,
} from '../../db/schema.ts';

/** SQL of an order's life after checkout: its row lock, state changes, restock, timeline. */

type Trx = Transaction<Database>;

export interface LockedOrder {
  id: number;
  userId: number | null;
  status: 'TEMP' | 'CLOSED';
  totalCents: number | null;
  paymentProvider: 'manual' | 'stripe';
  paymentStatus: PaymentStatus;
  fulfillmentStatus: FulfillmentStatus;
  paymentSessionId: string | null;
  paymentIntentId: string | null;
}

function lockedOrders(trx: Trx) {
  return trx
    .selectFrom('orders')
    .select([
      'id',
      'user_id as userId',
      'status',
      'total_cents as totalCents',
      'payment_provider as paymentProvider',
      'payment_status as paymentStatus',
      'fulfillment_status as fulfillmentStatus',
      'payment_session_id as paymentSessionId',
      'payment_intent_id as paymentIntentId',
    ]);
}

/**
 * The order row, locked until the transaction ends: state changes of one order happen one after
 * another, so of two racing cancels the second sees the first's result. Closed orders are never
 * locked through the cart's `open_owner_id` index, so the primary key is safe here.
 */
export function lockOrder(trx: Trx, orderId: number): Promise<LockedOrder | undefined> {
  return forUpdate(trx, lockedOrders(trx).where('id', '=', orderId)).executeTakeFirst();
}

export function lockOrderByPaymentSession(trx: Trx, sessionId: string): Promise<LockedOrder | undefined> {
  return forUpdate(trx, lockedOrders(trx).where('payment_session_id', '=', sessionId)).executeTakeFirst();
}

/** Changes the order only if it is still in the state the caller checked under the lock. */
export async function updateOrderState(
  trx: Trx,
  order: Pick<LockedOrder, 'id' | 'paymentStatus' | 'fulfillmentStatus'>,
  changes: Updateable<OrdersTable>,
): Promise<void> {
  const result = await trx
    .updateTable('orders')
    .set(changes)
    .where('id', '=', order.id)
    .where('payment_status', '=', order.paymentStatus)
    .where('fulfillment_status', '=', order.fulfillmentStatus)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new Error(`order ${order.id} changed under its lock`);
}

export function selectLines(trx: Trx, orderId: number) {
  return trx
    .selectFrom('order_lines')
    .select(['product_id as productId', 'quantity'])
    .where('order_id', '=', orderId)
    .orderBy('product_id')
    .execute();
}

/** Puts the quantities back, in ascending product order like checkout takes its product locks. */
export async function restock(trx: Trx, lines: { productId: number; quantity: number }[], now: number) {
  for (const line of [...lines].sort((a, b) => a.productId - b.productId)) {
    await trx
      .updateTable('products')
      .set((eb) => ({ stock: eb('stock', '+', line.quantity), updated_at: now }))
      .where('id', '=', line.productId)
      .execute();
  }
}

export interface TimelineEvent {
  type: string;
  actor: TimelineActor;
  adminUserId?: number | null;
  note?: string | null;
}

export async function addTimeline(trx: Trx, orderId: number, event: TimelineEvent, now: number) {
  await trx
    .insertInto('order_timeline')
    .values({
      order_id: orderId,
      type: event.type,
      actor: event.actor,
      admin_user_id: event.adminUserId ?? null,
      note: event.note?.slice(0, 500) ?? null,
      created_at: now,
    })
    .execute();
}

/**
 * Records a provider event as applied; false when it was recorded before (a redelivery). Written
 * in the transaction that applies the event, so a failed application leaves it unrecorded.
 */
export async function recordPaymentEvent(
  trx: Trx,
  event: { provider: string; id: string; type: string; orderId: number | null; outcome: string },
  now: number,
): Promise<boolean> {
  try {
    await trx
      .insertInto('payment_events')
      .values({
        provider: event.provider,
        event_id: event.id,
        type: event.type,
        order_id: event.orderId,
        outcome: event.outcome,
        received_at: now,
      })
      .execute();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

export async function setPaymentEventOutcome(trx: Trx, provider: string, eventId: string, outcome: string) {
  await trx
    .updateTable('payment_events')
    .set({ outcome })
    .where('provider', '=', provider)
    .where('event_id', '=', eventId)
    .execute();
}

/** A deleted customer's closed orders stay for the books with nothing that points at the person. */
export async function anonymizeClosedOrders(trx: Trx, userId: number): Promise<number> {
  const result = await trx
    .updateTable('orders')
    .set({ user_id: null, shipping_address: null, idempotency_key: null, tracking_number: null })
    .where('user_id', '=', userId)
    .where('status', '=', 'CLOSED')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
