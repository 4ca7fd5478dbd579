import { Link, useParams } from 'react-router';
import { useAdminOrder } from '../../components/admin/api.ts';
import { QueryState, SyntheticBadge } from '../../components/admin/ui.tsx';
import { formatDate, formatPrice } from '../../format.ts';
import { StatusPills, Timeline } from '../../components/OrderStatus.tsx';
import { usePageTitle } from '../usePageTitle.ts';
import { OrderActions } from './OrderActions.tsx';

export function OrderPage() {
  const id = Number(useParams().id);
  usePageTitle('Order');
  const { data: order, error, isPending } = useAdminOrder(id);
  return (
    <div>
      <Link className="back" to="/admin/orders">
        ← All orders
      </Link>
      {!order ? (
        <QueryState error={error} isPending={isPending} />
      ) : (
        <article className="panel" data-testid="admin-order">
          <h1>
            Order #{order.number ?? order.id}{' '}
            {order.status === 'TEMP' ? (
              <span className="pill pill--progress">Open cart</span>
            ) : (
              <StatusPills order={order} />
            )}
          </h1>
          <dl className="facts">
            <dt>Customer</dt>
            <dd>
              {order.userId === null ? (
                <span className="muted">deleted customer</span>
              ) : (
                <Link to={`/admin/customers/${order.userId}`}>{order.username}</Link>
              )}{' '}
              <SyntheticBadge synthetic={order.isSynthetic} />
            </dd>
            {order.payment && (
              <>
                <dt>Payment</dt>
                <dd>
                  {order.payment.provider === 'stripe' ? 'Card (Stripe)' : 'On delivery or by transfer'}
                </dd>
              </>
            )}
            {order.shipment && (
              <>
                <dt>Shipment</dt>
                <dd data-testid="admin-tracking">
                  {order.shipment.carrier} {order.shipment.trackingNumber}
                </dd>
              </>
            )}
            <dt>Opened</dt>
            <dd>{formatDate(order.createdAt)}</dd>
            <dt>Placed</dt>
            <dd>{formatDate(order.closedAt)}</dd>
            <dt>Ship to</dt>
            <dd>{order.shippingAddress ?? '—'}</dd>
          </dl>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" className="num">
                  {order.status === 'TEMP' ? 'Current price' : 'Price paid'}
                </th>
                <th scope="col" className="num">
                  Quantity
                </th>
                <th scope="col" className="num">
                  Line total
                </th>
              </tr>
            </thead>
            <tbody>
              {order.lines.map((l) => (
                <tr key={l.productId}>
                  <th scope="row">{l.name}</th>
                  <td className="num">{formatPrice(l.unitPriceCents)}</td>
                  <td className="num">{l.quantity}</td>
                  <td className="num">{formatPrice(l.lineTotalCents)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>
                  Total
                </th>
                <td className="num" data-testid="admin-order-total">
                  {formatPrice(order.totalCents)}
                </td>
              </tr>
            </tfoot>
          </table>
          <OrderActions order={order} />
          <h2>Timeline</h2>
          <Timeline order={order} />
        </article>
      )}
    </div>
  );
}
