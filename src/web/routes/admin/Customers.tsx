import { Link } from 'react-router';
import { useCustomerPredictions } from '../../components/admin/api.ts';
import { oneOf } from '../../api/params.ts';
import {
  formatDay,
  formatNumber,
  formatPercent,
  PagedTable,
  QueryState,
  SelectField,
  SortHeader,
  SyntheticBadge,
  useSearchParamUpdate,
} from '../../components/admin/ui.tsx';
import { formatPrice } from '../../format.ts';
import { usePageTitle } from '../usePageTitle.ts';

const PAGE_SIZE = 25;
const SORT_FIELDS = [
  'userId',
  'churnProbability',
  'expectedOrders',
  'predictedSpendCents',
  'expectedNextOrderAt',
] as const;
const SORTS = SORT_FIELDS.flatMap((f) => [f, `-${f}` as const]);

export function Customers() {
  usePageTitle('Admin customers');
  const [params, update] = useSearchParamUpdate();
  const sort = oneOf(params.get('sort'), SORTS, '-churnProbability');
  const page = Number(params.get('page') ?? 1) || 1;
  const status = oneOf(params.get('status'), ['ok', 'insufficient_data'] as const, undefined);
  const { data, error, isPending } = useCustomerPredictions({ sort, page, pageSize: PAGE_SIZE, status });
  const onSort = (s: string) => update({ sort: s });

  return (
    <div>
      <div className="page-head">
        <h1>Customers</h1>
        <SelectField
          id="c-status"
          label="Show"
          inline
          value={status ?? ''}
          onChange={(value) => update({ status: value })}
        >
          <option value="">All customers</option>
          <option value="ok">Scored</option>
          <option value="insufficient_data">Not enough data</option>
        </SelectField>
      </div>
      <p className="muted">
        Predictions of the active models over the next {data?.items[0]?.horizonDays ?? 90} days. Click a
        column to sort.
      </p>
      {!data ? (
        <QueryState error={error} isPending={isPending} />
      ) : data.total === 0 ? (
        <div className="empty">
          <p>No customer has a prediction yet. Train a model on the Models page.</p>
        </div>
      ) : (
        <PagedTable
          result={data}
          noun="customer"
          testId="customers-table"
          onPage={(p) => update({ page: String(p) })}
          head={
            <>
              <SortHeader field="userId" sort={sort} onSort={onSort}>
                Customer
              </SortHeader>
              <SortHeader field="churnProbability" sort={sort} onSort={onSort} className="num">
                Churn probability
              </SortHeader>
              <SortHeader field="expectedOrders" sort={sort} onSort={onSort} className="num">
                Expected orders
              </SortHeader>
              <SortHeader field="predictedSpendCents" sort={sort} onSort={onSort} className="num">
                Predicted spend
              </SortHeader>
              <SortHeader field="expectedNextOrderAt" sort={sort} onSort={onSort}>
                Next order expected
              </SortHeader>
            </>
          }
        >
          {data.items.map((c) => (
            <tr key={c.userId} data-testid="customer-row">
              <th scope="row">
                <Link to={`/admin/customers/${c.userId}`}>{c.username}</Link>{' '}
                <SyntheticBadge synthetic={c.isSynthetic} />
              </th>
              {c.status === 'ok' ? (
                <>
                  <td className={`num${(c.churnProbability ?? 0) >= 0.5 ? ' risk--high' : ''}`}>
                    {formatPercent(c.churnProbability)}
                  </td>
                  <td className="num">{formatNumber(c.expectedOrders)}</td>
                  <td className="num">
                    {c.predictedSpendCents === null ? '—' : formatPrice(c.predictedSpendCents)}
                  </td>
                  <td>{formatDay(c.expectedNextOrderAt)}</td>
                </>
              ) : (
                <td colSpan={4} className="muted">
                  Not enough data: {c.reason}
                </td>
              )}
            </tr>
          ))}
        </PagedTable>
      )}
    </div>
  );
}
