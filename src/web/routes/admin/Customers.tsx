import { type FormEvent, useState } from 'react';
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
import { riskWords } from './ml/words.ts';

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
  const q = params.get('q') ?? '';
  const hideSynthetic = params.get('synthetic') === 'exclude';
  const { data, error, isPending } = useCustomerPredictions({
    sort,
    page,
    pageSize: PAGE_SIZE,
    status,
    q: q || undefined,
    synthetic: hideSynthetic ? 'exclude' : 'include',
  });
  const onSort = (s: string) => update({ sort: s });
  const [draft, setDraft] = useState(q);
  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    update({ q: draft.trim() });
  };

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
      <div className="customer-filters">
        <search className="customer-search">
          <form onSubmit={onSearch} className="customer-search">
            <label htmlFor="c-search">Search customers</label>
            <input
              id="c-search"
              type="search"
              value={draft}
              maxLength={100}
              placeholder="Name, e-mail, username or shop id"
              onChange={(e) => setDraft(e.target.value)}
            />
            <button type="submit" className="btn btn--ghost btn--small">
              Search
            </button>
          </form>
        </search>
        <label className="check">
          <input
            type="checkbox"
            checked={hideSynthetic}
            onChange={(e) => update({ synthetic: e.target.checked ? 'exclude' : '' })}
          />{' '}
          Hide synthetic customers
        </label>
        <SelectField
          id="c-sort"
          label="Sort"
          inline
          value={sort}
          onChange={(value) => update({ sort: value })}
        >
          <option value="-churnProbability">Highest churn risk first</option>
          <option value="churnProbability">Lowest churn risk first</option>
          <option value="-predictedSpendCents">Biggest expected spend first</option>
          <option value="-expectedOrders">Most expected orders first</option>
          <option value="expectedNextOrderAt">Next order soonest</option>
          <option value="userId">Oldest account first</option>
        </SelectField>
      </div>
      <p className="muted">
        Predictions of the active models over the next {data?.items[0]?.horizonDays ?? 90} days. Click a
        column to sort.
      </p>
      {!data ? (
        <QueryState error={error} isPending={isPending} />
      ) : data.total === 0 ? (
        <div className="empty" data-testid="customers-empty">
          <p>
            {q || hideSynthetic || status
              ? 'No customer matches these filters.'
              : 'No customer has a prediction yet. Train a model on the Models page.'}
          </p>
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
                <Link to={`/admin/customers/${c.userId}`}>{c.name}</Link>{' '}
                <SyntheticBadge synthetic={c.isSynthetic} />
                <span className="muted customer-ids">
                  {' '}
                  {c.externalId ? `shop id ${c.externalId}` : `@${c.username}`}
                </span>
              </th>
              {c.status === 'ok' ? (
                <>
                  <td
                    className={`num${(c.churnProbability ?? 0) >= 0.5 ? ' risk--high' : ''}`}
                    data-testid="customer-risk"
                    data-churn={c.churnProbability ?? ''}
                  >
                    {formatPercent(c.churnProbability)} · {riskWords(c.churnProbability)}
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
