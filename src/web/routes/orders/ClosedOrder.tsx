import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useCancelOrder } from '../../api/hooks.ts';
import type { Order } from '../../api/types.ts';
import { useNotify } from '../../components/Notifications.tsx';
import { StatusPills, Timeline } from '../../components/OrderStatus.tsx';
import { formatDate, formatPrice } from '../../format.ts';

/** A placed order in the shopper's history: its state, tracking, payment link and Cancel. */
export function ClosedOrder({ order }: { order: Order }) {
  const [confirm, setConfirm] = useState(false);
  const cancel = useCancelOrder();
  const notify = useNotify();
  const onCancel = () =>
    cancel.mutate(order.id, {
      onSuccess: (done) =>
        notify.success(
          done.paymentStatus === 'refunded'
            ? `Order #${done.number} is cancelled and your payment refunded.`
            : `Order #${done.number} is cancelled.`,
        ),
      onError: (error) => notify.failure(error, `Could not cancel order #${order.number}.`),
      onSettled: () => setConfirm(false),
    });

  return (
    <section className="order" aria-labelledby={`order-${order.id}`} data-testid="closed-order">
      <header className="order__head">
        <h3 id={`order-${order.id}`}>
          Order #{order.number} <StatusPills order={order} />
        </h3>
        <span className="muted">{formatDate(order.closedAt ?? order.createdAt)}</span>
      </header>
      <ul className="closed-lines">
        {order.lines.map((line) => (
          <li key={line.productId}>
            <span>
              {line.quantity} × <Link to={`/products/${line.productId}`}>{line.name}</Link>
              <span className="muted"> at {formatPrice(line.unitPriceCents)}</span>
            </span>
            <span className="num">{formatPrice(line.lineTotalCents)}</span>
          </li>
        ))}
      </ul>
      <footer className="order__foot">
        <span>
          <span className="muted">Ships to:</span> <span className="address">{order.shippingAddress}</span>
        </span>
        <strong>Total {formatPrice(order.totalCents)}</strong>
      </footer>
      {order.shipment && (
        <p data-testid="tracking">
          Shipped {formatDate(order.shipment.shippedAt)} with {order.shipment.carrier}, tracking number{' '}
          <strong>{order.shipment.trackingNumber}</strong>
        </p>
      )}
      {order.cancelReason && order.fulfillmentStatus === 'cancelled' && (
        <p className="muted">Cancelled: {order.cancelReason}</p>
      )}
      <div className="order__actions">
        {order.payment?.checkoutUrl && (
          <a className="btn btn--primary" href={order.payment.checkoutUrl}>
            Pay {formatPrice(order.totalCents)}
          </a>
        )}
        {order.cancellable &&
          (confirm ? (
            <fieldset className="confirm">
              <legend>Cancel order #{order.number}?</legend>
              <button
                type="button"
                className="btn btn--danger"
                onClick={onCancel}
                disabled={cancel.isPending}
              >
                Yes, cancel order
              </button>
              <button type="button" className="btn btn--ghost" onClick={() => setConfirm(false)}>
                Keep it
              </button>
            </fieldset>
          ) : (
            <button type="button" className="btn btn--ghost" onClick={() => setConfirm(true)}>
              Cancel order
            </button>
          ))}
      </div>
      <details>
        <summary>History</summary>
        <Timeline order={order} />
      </details>
    </section>
  );
}

/** Back from the payment page (`?order=…&payment=success|cancelled`): say how it went, once. */
export function usePaymentReturnNotice() {
  const [params, setParams] = useSearchParams();
  const notify = useNotify();
  const outcome = params.get('payment');
  const number = params.get('order');
  // The effect runs again on any render before the URL drops the parameters (the orders arriving,
  // a new setParams); without this the shopper was thanked twice.
  const announced = useRef<string | null>(null);
  useEffect(() => {
    if (!outcome || !number) return;
    if (announced.current === `${outcome}:${number}`) return;
    announced.current = `${outcome}:${number}`;
    if (outcome === 'success')
      notify.success(`Thank you! Your payment for order #${number} is being confirmed.`);
    else
      notify.notify(
        'error',
        `Order #${number} is not paid yet. Pay it below before the payment page expires.`,
      );
    setParams(
      (p) => {
        p.delete('payment');
        p.delete('order');
        return p;
      },
      { replace: true },
    );
  }, [outcome, number, notify, setParams]);
}
