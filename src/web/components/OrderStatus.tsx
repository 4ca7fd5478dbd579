import type { Order } from '../api/types.ts';
import { formatDate } from '../format.ts';

/** How an order's payment and fulfilment read to people, in the shop and in the console. */

export const PAYMENT_LABELS: Record<NonNullable<Order['paymentStatus']>, string> = {
  awaiting: 'Awaiting payment',
  paid: 'Paid',
  refunded: 'Refunded',
  failed: 'Payment failed',
};

export const FULFILLMENT_LABELS: Record<NonNullable<Order['fulfillmentStatus']>, string> = {
  unfulfilled: 'Not shipped yet',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

const TIMELINE_LABELS: Record<string, string> = {
  placed: 'Placed',
  paid: 'Paid',
  payment_failed: 'Payment failed',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
};

export function StatusPills({ order }: { order: Pick<Order, 'paymentStatus' | 'fulfillmentStatus'> }) {
  if (!order.paymentStatus || !order.fulfillmentStatus) return null;
  const tone = (good: boolean, bad: boolean) =>
    bad ? ' pill--bad' : good ? ' pill--good' : ' pill--progress';
  return (
    <span className="status-pills">
      <span
        className={`pill${tone(order.paymentStatus === 'paid', order.paymentStatus === 'failed')}`}
        data-testid="payment-status"
      >
        {PAYMENT_LABELS[order.paymentStatus]}
      </span>{' '}
      <span
        className={`pill${tone(order.fulfillmentStatus === 'delivered', order.fulfillmentStatus === 'cancelled')}`}
        data-testid="fulfillment-status"
      >
        {FULFILLMENT_LABELS[order.fulfillmentStatus]}
      </span>
    </span>
  );
}

export function Timeline({ order }: { order: Pick<Order, 'timeline'> }) {
  if (order.timeline.length === 0) return null;
  return (
    <ol className="timeline" aria-label="What happened to this order" data-testid="order-timeline">
      {order.timeline.map((entry, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: entries never move; two may share a time
        <li key={i}>
          <strong>{TIMELINE_LABELS[entry.type] ?? entry.type}</strong>{' '}
          <span className="muted">
            {formatDate(entry.at)} · by {entry.by}
          </span>
          {entry.note && <div className="timeline__note">{entry.note}</div>}
        </li>
      ))}
    </ol>
  );
}
