import { type FormEvent, useState } from 'react';
import { useAdminOrders } from '../../../components/admin/api.ts';
import { PagedTable, QueryState, SelectField, useSearchParamUpdate } from '../../../components/admin/ui.tsx';
import { useNotify } from '../../../components/Notifications.tsx';
import { FULFILLMENT_LABELS, PAYMENT_LABELS } from '../../../components/OrderStatus.tsx';
import { usePageTitle } from '../../usePageTitle.ts';
import { OrderRow } from './OrderRow.tsx';
import { FULFILLMENT_STATUSES, orderQueryFrom, PAYMENT_STATUSES } from './query.ts';

/** Typed fields wait for Filter; the selects apply at once, like the products list. */
const TYPED = ['from', 'to', 'q'] as const;

export function Orders() {
  usePageTitle('Admin orders');
  const [params, update] = useSearchParamUpdate();
  const notify = useNotify();
  const [draft, setDraft] = useState(() => Object.fromEntries(TYPED.map((k) => [k, params.get(k) ?? ''])));
  const query = orderQueryFrom(params);
  const { data, error, isPending } = useAdminOrders(query);
  const set = (name: (typeof TYPED)[number]) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [name]: e.target.value }));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      notify.notify('error', 'The date range ends before it starts.');
      return;
    }
    update(Object.fromEntries(TYPED.map((k) => [k, draft[k].trim()])));
  };

  return (
    <div>
      <h1>Orders</h1>
      <form className="filters admin-filters" onSubmit={onSubmit}>
        <SelectField
          id="o-status"
          label="Status"
          value={params.get('status') ?? ''}
          onChange={(status) => update({ status })}
        >
          <option value="">All</option>
          <option value="CLOSED">Placed</option>
          <option value="TEMP">Open cart</option>
        </SelectField>
        <SelectField
          id="o-payment"
          label="Payment"
          value={query.paymentStatus ?? ''}
          onChange={(paymentStatus) => update({ paymentStatus })}
        >
          <option value="">Any</option>
          {PAYMENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {PAYMENT_LABELS[s]}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="o-fulfillment"
          label="Fulfilment"
          value={query.fulfillmentStatus ?? ''}
          onChange={(fulfillmentStatus) => update({ fulfillmentStatus })}
        >
          <option value="">Any</option>
          {FULFILLMENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {FULFILLMENT_LABELS[s]}
            </option>
          ))}
        </SelectField>
        <div className="field">
          <label htmlFor="o-from">From (UTC)</label>
          <input id="o-from" type="date" value={draft.from} onChange={set('from')} />
        </div>
        <div className="field">
          <label htmlFor="o-to">To (UTC)</label>
          <input id="o-to" type="date" value={draft.to} onChange={set('to')} />
        </div>
        <div className="field">
          <label htmlFor="o-q">Customer or order</label>
          <input
            id="o-q"
            type="search"
            value={draft.q}
            onChange={set('q')}
            placeholder="username or order number"
          />
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
            <OrderRow key={o.id} order={o} />
          ))}
        </PagedTable>
      )}
    </div>
  );
}
