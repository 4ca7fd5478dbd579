import { Link } from 'react-router';
import { useOrders } from '../api/hooks.ts';
import { RequireUser } from '../components/RequireUser.tsx';
import { formatPrice, plural } from '../format.ts';
import { ClosedOrder, usePaymentReturnNotice } from './orders/ClosedOrder.tsx';
import { usePageTitle } from './usePageTitle.ts';

function OrderHistory() {
  const { data: orders, isPending, error } = useOrders();
  usePaymentReturnNotice();
  if (isPending) return <p className="loading">Loading orders…</p>;
  if (error) {
    return (
      <p className="empty" role="alert">
        Could not load your orders: {error.message}
      </p>
    );
  }
  const current = orders.find((o) => o.status === 'TEMP');
  const closed = orders.filter((o) => o.status === 'CLOSED');
  return (
    <>
      {current ? (
        <section className="order order--temp" data-testid="cart-summary">
          <h2>Order in progress</h2>
          <p>
            {plural(
              current.lines.reduce((sum, l) => sum + l.quantity, 0),
              'item',
            )}{' '}
            · {formatPrice(current.totalCents)} · <Link to="/cart">Go to your cart</Link> to change it or
            check out.
          </p>
        </section>
      ) : (
        <section className="order order--temp order--empty">
          <h2>No order in progress</h2>
          <p>
            Add products from the <Link to="/">shop</Link> to start a new order.
          </p>
        </section>
      )}
      <h2 className="section-title">Past orders</h2>
      {closed.length ? (
        <div className="order-list">
          {closed.map((o) => (
            <ClosedOrder key={o.id} order={o} />
          ))}
        </div>
      ) : (
        <p className="muted">You have no completed orders yet.</p>
      )}
    </>
  );
}

export function Orders() {
  usePageTitle('Orders');
  return (
    <RequireUser>
      <h1>Orders</h1>
      <OrderHistory />
    </RequireUser>
  );
}
