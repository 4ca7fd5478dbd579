import { type FormEvent, useState } from 'react';
import { oneOf } from '../../api/params.ts';
import { Link } from 'react-router';
import { useAdminOrders } from '../../components/admin/api.ts';
import {
  PagedTable,
  QueryState,
  SelectField,
  SyntheticBadge,
  useSearchParamUpdate,
} from '../../components/admin/ui.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { formatDate, formatPrice } from '../../format.ts';
import { usePageTitle } from '../usePageTitle.ts';

const PAGE_SIZE = 25;

export function Orders() {
  usePageTitle('Admin orders');
  const [params, update, setParams] = useSearchParamUpdate();
  const notify = useNotify();
  const [draft, setDraft] = useState(() => Object.fromEntries(params));
  const query = {
    status: oneOf(params.get('status'), ['TEMP', 'CLOSED'] as const, undefined),
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    q: params.get('q') ?? undefined,
    page: Number(params.get('page') ?? 1) || 1,
    pageSize: PAGE_SIZE,
  };
  const { data, error, isPending } = useAdminOrders(query);
  const set = (name: string) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [name]: e.target.value }));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      notify.notify('error', 'The date range ends before it starts.');
      return;
    }
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(draft)) if (v && k !== 'page') next.set(k, v.trim());
    setParams(next);
  };

  return (
    <div>
      <h1>Orders</h1>
      <form className="filters admin-filters" onSubmit={onSubmit}>
        <SelectField
          id="o-status"
          label="Status"
          value={draft.status ?? ''}
          onChange={(status) => setDraft((d) => ({ ...d, status }))}
        >
          <option value="">All</option>
          <option value="CLOSED">Placed</option>
          <option value="TEMP">Open cart</option>
        </SelectField>
        <div className="field">
          <label htmlFor="o-from">From (UTC)</label>
          <input id="o-from" type="date" value={draft.from ?? ''} onChange={set('from')} />
        </div>
        <div className="field">
          <label htmlFor="o-to">To (UTC)</label>
          <input id="o-to" type="date" value={draft.to ?? ''} onChange={set('to')} />
        </div>
        <div className="field">
          <label htmlFor="o-q">Customer</label>
          <input id="o-q" type="search" value={draft.q ?? ''} onChange={set('q')} placeholder="username" />
        </div>
        <button type="submit" className="btn btn--primary">
          Filter
        </button>
      </form>
      {!data ? (
        <QueryState error={error} isPending={isPending} />
      ) : (
        <PagedTable
          result={data}
          noun="order"
          onPage={(p) => update({ page: String(p) })}
          head={
            <>
              <th scope="col">Order</th>
              <th scope="col">Customer</th>
              <th scope="col">Status</th>
              <th scope="col">Placed</th>
              <th scope="col" className="num">
                Items
              </th>
              <th scope="col" className="num">
                Total
              </th>
            </>
          }
        >
          {data.items.map((o) => (
            <tr key={o.id} data-testid="admin-order-row">
              <th scope="row">
                <Link to={`/admin/orders/${o.id}`}>#{o.id}</Link>
              </th>
              <td>
                <Link to={`/admin/customers/${o.userId}`}>{o.username}</Link>{' '}
                <SyntheticBadge synthetic={o.isSynthetic} />
              </td>
              <td>
                <span className={`pill${o.status === 'TEMP' ? ' pill--progress' : ''}`}>
                  {o.status === 'TEMP' ? 'Open cart' : 'Placed'}
                </span>
              </td>
              <td>{o.status === 'TEMP' ? `opened ${formatDate(o.createdAt)}` : formatDate(o.closedAt)}</td>
              <td className="num">{o.itemCount}</td>
              <td className="num">{formatPrice(o.totalCents)}</td>
            </tr>
          ))}
        </PagedTable>
      )}
    </div>
  );
}
