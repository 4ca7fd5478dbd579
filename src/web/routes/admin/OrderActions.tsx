import { type FormEvent, useState } from 'react';
import type { AdminOrder } from '../../../contract/admin.ts';
import { type OrderAction, useOrderAction } from '../../components/admin/api.ts';
import { useNotify } from '../../components/Notifications.tsx';

type Pending = 'mark-paid' | 'ship' | 'deliver' | 'cancel' | null;

const DONE: Record<OrderAction['action'], string> = {
  'mark-paid': 'marked paid',
  ship: 'shipped; the customer is mailed the tracking number',
  deliver: 'marked delivered',
  cancel: 'cancelled and its stock returned',
};

/** The console's order actions, each behind a confirmation, offered only when the state allows it. */
export function OrderActions({ order }: { order: AdminOrder }) {
  const [open, setOpen] = useState<Pending>(null);
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const [reason, setReason] = useState('');
  const act = useOrderAction(order.id);
  const notify = useNotify();
  if (order.status !== 'CLOSED') return null;

  const run = (v: OrderAction) =>
    act.mutate(v, {
      onSuccess: (done) => {
        const refunded =
          v.action === 'cancel' && done.paymentStatus === 'refunded' ? ' The payment was refunded.' : '';
        notify.success(`Order #${order.number} ${DONE[v.action]}.${refunded}`);
        setOpen(null);
      },
      onError: (error) => notify.failure(error, `Could not update order #${order.number}.`),
    });
  const submit = (v: OrderAction) => (event: FormEvent) => {
    event.preventDefault();
    run(v);
  };

  const unfulfilled = order.fulfillmentStatus === 'unfulfilled';
  const canMarkPaid =
    order.payment?.provider === 'manual' &&
    order.fulfillmentStatus !== 'cancelled' &&
    (order.paymentStatus === 'awaiting' || order.paymentStatus === 'failed');
  const canShip = unfulfilled && (order.payment?.provider === 'manual' || order.paymentStatus === 'paid');
  const canDeliver = order.fulfillmentStatus === 'shipped';
  const busy = act.isPending;

  return (
    <section className="panel" aria-labelledby="order-actions-title">
      <h2 id="order-actions-title">Actions</h2>
      {!open && (
        <div className="order__actions">
          {canMarkPaid && (
            <button type="button" className="btn" onClick={() => setOpen('mark-paid')}>
              Mark paid
            </button>
          )}
          {canShip && (
            <button type="button" className="btn btn--primary" onClick={() => setOpen('ship')}>
              Ship
            </button>
          )}
          {canDeliver && (
            <button type="button" className="btn" onClick={() => setOpen('deliver')}>
              Mark delivered
            </button>
          )}
          {unfulfilled && (
            <button type="button" className="btn btn--danger" onClick={() => setOpen('cancel')}>
              Cancel order
            </button>
          )}
          {!canMarkPaid && !canShip && !canDeliver && !unfulfilled && (
            <p className="muted">Nothing left to do.</p>
          )}
        </div>
      )}
      {(open === 'mark-paid' || open === 'deliver') && (
        <fieldset className="confirm">
          <legend>
            {open === 'mark-paid'
              ? `Record that order #${order.number} is paid?`
              : `Mark order #${order.number} delivered?`}
          </legend>
          <button
            type="button"
            className="btn btn--primary"
            disabled={busy}
            onClick={() => run({ action: open })}
          >
            {open === 'mark-paid' ? 'Yes, mark paid' : 'Yes, delivered'}
          </button>
          <button type="button" className="btn btn--ghost" onClick={() => setOpen(null)}>
            Back
          </button>
        </fieldset>
      )}
      {open === 'ship' && (
        <form onSubmit={submit({ action: 'ship', carrier, trackingNumber: tracking })} noValidate>
          <div className="field">
            <label htmlFor="ship-carrier">Carrier</label>
            <input
              id="ship-carrier"
              value={carrier}
              maxLength={100}
              onChange={(e) => setCarrier(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="ship-tracking">Tracking number</label>
            <input
              id="ship-tracking"
              value={tracking}
              maxLength={100}
              onChange={(e) => setTracking(e.target.value)}
            />
          </div>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            Confirm shipment
          </button>
          <button type="button" className="btn btn--ghost" onClick={() => setOpen(null)}>
            Back
          </button>
        </form>
      )}
      {open === 'cancel' && (
        <form onSubmit={submit({ action: 'cancel', reason })} noValidate>
          <div className="field">
            <label htmlFor="cancel-reason">Reason (the customer sees it)</label>
            <textarea
              id="cancel-reason"
              rows={2}
              maxLength={300}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          <button type="submit" className="btn btn--danger" disabled={busy}>
            Yes, cancel order
          </button>
          <button type="button" className="btn btn--ghost" onClick={() => setOpen(null)}>
            Keep it
          </button>
        </form>
      )}
    </section>
  );
}
