import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { type ProductQuery, useCategories, useProducts } from '../api/hooks.ts';
import { oneOf } from '../api/params.ts';
import { useNotify } from '../components/Notifications.tsx';
import { Pager } from '../components/Pager.tsx';
import { ProductList, type ViewMode, ViewSwitch } from '../components/ProductViews.tsx';
import { plural } from '../format.ts';
import { usePageTitle } from './usePageTitle.ts';

const PAGE_SIZE = 24;
const OPERATORS = { lt: '<', gt: '>', eq: '=' } as const;
type Operator = keyof typeof OPERATORS;
const SORTS = [
  ['name', 'Name A–Z'],
  ['-name', 'Name Z–A'],
  ['price', 'Price: low to high'],
  ['-price', 'Price: high to low'],
  ['stock', 'Stock: low to high'],
  ['-stock', 'Stock: high to low'],
  ['newest', 'Newest'],
] as const;

const isOperator = (v: string | null): v is Operator => v === 'lt' || v === 'gt' || v === 'eq';
const capital = (op: Operator) => (op[0].toUpperCase() + op.slice(1)) as Capitalize<Operator>;

/** URL state → API query. Prices are typed in dollars and sent in cents. */
export function productQueryFrom(params: URLSearchParams): ProductQuery {
  const query: ProductQuery = {
    q: params.get('q') ?? undefined,
    category: params.get('category') ?? undefined,
    sort: oneOf(
      params.get('sort'),
      SORTS.map(([value]) => value),
      'name',
    ),
    page: Number(params.get('page') ?? 1) || 1,
    pageSize: PAGE_SIZE,
  };
  const priceOp = params.get('priceOp');
  const price = params.get('price');
  if (isOperator(priceOp) && price !== null && price !== '' && Number.isFinite(Number(price))) {
    query[`price${capital(priceOp)}` as const] = Math.round(Number(price) * 100);
  }
  const stockOp = params.get('stockOp');
  const stock = params.get('stock');
  if (isOperator(stockOp) && stock !== null && stock !== '' && Number.isInteger(Number(stock))) {
    query[`stock${capital(stockOp)}` as const] = Number(stock);
  }
  return query;
}

function Filters({
  params,
  setParams,
}: {
  params: URLSearchParams;
  setParams: (p: URLSearchParams) => void;
}) {
  const { data: categories } = useCategories();
  const notify = useNotify();
  // Remounted (see key below) whenever the URL changes, so the draft always starts from it.
  const [draft, setDraft] = useState(() => Object.fromEntries(params));
  const field = (name: string) => draft[name] ?? '';
  const set = (name: string) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [name]: e.target.value }));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const price = field('price').trim();
    const stock = field('stock').trim();
    if (price && (!Number.isFinite(Number(price)) || Number(price) < 0)) {
      return notify.notify('error', 'Price must be a number of dollars, 0 or more.');
    }
    if (stock && (!Number.isInteger(Number(stock)) || Number(stock) < 0)) {
      return notify.notify('error', 'Stock must be a whole number, 0 or more.');
    }
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...draft, price, stock })) {
      if (value && key !== 'page') next.set(key, value);
    }
    if (!price) next.delete('priceOp');
    else next.set('priceOp', field('priceOp') || 'lt');
    if (!stock) next.delete('stockOp');
    else next.set('stockOp', field('stockOp') || 'gt');
    setParams(next);
  };

  const onReset = () => {
    const next = new URLSearchParams();
    const view = params.get('view');
    if (view) next.set('view', view);
    setParams(next);
  };

  return (
    <form className="filters" onSubmit={onSubmit} aria-label="Filter products">
      <div className="field">
        <label htmlFor="f-category">Category</label>
        <select id="f-category" value={field('category')} onChange={set('category')}>
          <option value="">All categories</option>
          {categories?.map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field field--compound">
        <legend>Price (USD)</legend>
        <label htmlFor="f-price-op" className="visually-hidden">
          Price operator
        </label>
        <select id="f-price-op" value={field('priceOp') || 'lt'} onChange={set('priceOp')}>
          {Object.entries(OPERATORS).map(([k, sign]) => (
            <option key={k} value={k}>
              {sign}
            </option>
          ))}
        </select>
        <label htmlFor="f-price" className="visually-hidden">
          Price value in dollars
        </label>
        <input
          id="f-price"
          type="number"
          min={0}
          step="0.01"
          inputMode="decimal"
          value={field('price')}
          onChange={set('price')}
          placeholder="any"
        />
      </fieldset>
      <fieldset className="field field--compound">
        <legend>Stock</legend>
        <label htmlFor="f-stock-op" className="visually-hidden">
          Stock operator
        </label>
        <select id="f-stock-op" value={field('stockOp') || 'gt'} onChange={set('stockOp')}>
          {Object.entries(OPERATORS).map(([k, sign]) => (
            <option key={k} value={k}>
              {sign}
            </option>
          ))}
        </select>
        <label htmlFor="f-stock" className="visually-hidden">
          Stock value
        </label>
        <input
          id="f-stock"
          type="number"
          min={0}
          step={1}
          inputMode="numeric"
          value={field('stock')}
          onChange={set('stock')}
          placeholder="any"
        />
      </fieldset>
      <div className="field">
        <label htmlFor="f-sort">Sort by</label>
        <select id="f-sort" value={field('sort') || 'name'} onChange={set('sort')}>
          {SORTS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="filters__buttons">
        <button type="submit" className="btn btn--primary">
          Apply filters
        </button>
        <button type="button" className="btn btn--ghost" onClick={onReset}>
          Clear
        </button>
      </div>
    </form>
  );
}

export function Shop() {
  const [params, setParams] = useSearchParams();
  const query = productQueryFrom(params);
  const { data, isPending, isError, error, isPlaceholderData } = useProducts(query);
  const view: ViewMode = params.get('view') === 'grid' ? 'grid' : 'table';
  usePageTitle(query.q ? `Search: ${query.q}` : 'Shop');

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    setParams(next);
  };

  const terms =
    (query.q as string | undefined)
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean) ?? [];

  return (
    <div className="shop">
      <div className="page-head">
        <h1>{terms.length ? `Results for ${terms.map((t) => `“${t}”`).join(' or ')}` : 'Shop'}</h1>
        <ViewSwitch view={view} onChange={(v) => update({ view: v === 'table' ? null : v })} />
      </div>
      <Filters key={params.toString()} params={params} setParams={setParams} />
      <div aria-live="polite" aria-busy={isPending || isPlaceholderData}>
        {isPending ? (
          <p className="loading">Loading products…</p>
        ) : isError ? (
          <p className="empty" role="alert">
            Could not load products: {error.message}
          </p>
        ) : data.items.length === 0 ? (
          <div className="empty" data-testid="no-results">
            <p>
              <strong>No products match your search and filters.</strong>
            </p>
            <p>Try fewer filters, another term, or clear them to see everything.</p>
          </div>
        ) : (
          <>
            <p className="result-count">{plural(data.total, 'product')}</p>
            <ProductList products={data.items} view={view} caption="Products" />
          </>
        )}
      </div>
      {data && (
        <Pager
          page={data.page}
          pageSize={data.pageSize}
          total={data.total}
          onPage={(p) => update({ page: String(p) })}
        />
      )}
    </div>
  );
}
