import { Link } from 'react-router';
import type { AdminOrderSummary } from '../../../../contract/admin.ts';
import { SyntheticBadge } from '../../../components/admin/ui.tsx';
import { StatusPills } from '../../../components/OrderStatus.tsx';
import { formatDate, formatPrice } from '../../../format.ts';

/** One order in the console list: who, how far payment and fulfilment got, when, how much. */
export function OrderRow({ order: o }: { order: AdminOrderSummary }) {
  return (
    <tr data-testid="admin-order-row">
      <th scope="row">
        {/* The public number, as the shopper and the order page show it; a cart has none yet. */}
        <Link to={`/admin/orders/${o.id}`}>#{o.number ?? o.id}</Link>
      </th>
      <td>
        {o.userId === null ? (
          // The account was deleted; the order stays for the books without the person.
          <span className="muted">deleted customer</span>
        ) : (
          <Link to={`/admin/customers/${o.userId}`}>{o.username}</Link>
        )}{' '}
        <SyntheticBadge synthetic={o.isSynthetic} />
      </td>
      <td>
        {o.status === 'TEMP' ? (
          <span className="pill pill--progress">Open cart</span>
        ) : (
          <StatusPills order={o} />
        )}
      </td>
      <td>{o.status === 'TEMP' ? `opened ${formatDate(o.createdAt)}` : formatDate(o.closedAt)}</td>
      <td className="num">{o.itemCount}</td>
      <td className="num">{formatPrice(o.totalCents)}</td>
    </tr>
  );
}
