import { Link, useParams } from 'react-router';
import { useAdminOrder } from '../../components/admin/api.ts';
import { QueryState, SyntheticBadge } from '../../components/admin/ui.tsx';
import { formatDate, formatPrice } from '../../format.ts';
import { usePageTitle } from '../usePageTitle.ts';

export function OrderPage() {
  const id = Number(useParams().id);
  usePageTitle(`Order #${id}`);
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
            Order #{order.id}{' '}
            <span className={`pill${order.status === 'TEMP' ? ' pill--progress' : ''}`}>
              {order.status === 'TEMP' ? 'Open cart' : 'Placed'}
            </span>
          </h1>
          <dl className="facts">
            <dt>Customer</dt>
            <dd>
              <Link to={`/admin/customers/${order.userId}`}>{order.username}</Link>{' '}
              <SyntheticBadge synthetic={order.isSynthetic} />
            </dd>
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
        </article>
      )}
    </div>
  );
}
