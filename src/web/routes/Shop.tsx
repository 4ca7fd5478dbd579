import { type FormEvent, useEffect, useState, useSyncExternalStore } from 'react';
import { useSearchParams } from 'react-router';
import { type ProductQuery, useCategories, useProducts, useRelatedProducts } from '../api/hooks.ts';
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
  /** Category and sort apply at once; price and stock wait for "Apply filters" (typing a number). */
  const applyNow = (name: 'category' | 'sort') => (e: { target: { value: string } }) => {
    const next = new URLSearchParams(params);
    if (e.target.value) next.set(name, e.target.value);
    else next.delete(name);
    next.delete('page');
    setParams(next);
  };
  const notify = useNotify();
  // Remounted (see the key in Shop) whenever the typed filters change in the URL, so the draft
  // starts from them.
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
    // Category, sort, search and view come from the URL (they apply at once); the draft holds only
    // the typed price and stock.
    const next = new URLSearchParams(params);
    next.delete('page');
    for (const [key, value] of Object.entries({ price, stock })) {
      if (value) next.set(key, value);
      else next.delete(key);
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
        <select id="f-category" value={params.get('category') ?? ''} onChange={applyNow('category')}>
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
        <select id="f-sort" value={params.get('sort') ?? 'name'} onChange={applyNow('sort')}>
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

const NARROW = '(max-width: 640px)';
/** Whether the screen is phone-narrow, following rotation and resizing. */
function useNarrowScreen(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const query = window.matchMedia(NARROW);
      query.addEventListener('change', onChange);
      return () => query.removeEventListener('change', onChange);
    },
    () => window.matchMedia(NARROW).matches,
  );
}

/** The active filters as removable chips: search, category, price, stock. */
function FilterChips({
  params,
  setParams,
}: {
  params: URLSearchParams;
  setParams: (p: URLSearchParams) => void;
}) {
  const { data: categories } = useCategories();
  const chips: { label: string; keys: string[] }[] = [];
  const q = params.get('q');
  if (q) chips.push({ label: `Search: ${q}`, keys: ['q'] });
  const category = params.get('category');
  if (category) {
    const name = categories?.find((c) => c.slug === category)?.name ?? category;
    chips.push({ label: `Category: ${name}`, keys: ['category'] });
  }
  const priceOp = params.get('priceOp');
  const price = params.get('price');
  if (price && isOperator(priceOp))
    chips.push({ label: `Price ${OPERATORS[priceOp]} $${price}`, keys: ['price', 'priceOp'] });
  const stockOp = params.get('stockOp');
  const stock = params.get('stock');
  if (stock && isOperator(stockOp))
    chips.push({ label: `Stock ${OPERATORS[stockOp]} ${stock}`, keys: ['stock', 'stockOp'] });
  if (chips.length === 0) return null;
  const remove = (keys: string[]) => {
    const next = new URLSearchParams(params);
    for (const k of [...keys, 'page']) next.delete(k);
    setParams(next);
  };
  return (
    <ul className="chips" aria-label="Active filters">
      {chips.map((chip) => (
        <li key={chip.label}>
          <button type="button" className="chip" onClick={() => remove(chip.keys)}>
            {/* Named by its text, not aria-label, so it is not taken for the filter's own label. */}
            <span className="visually-hidden">Remove filter </span>
            {chip.label} <span aria-hidden="true">×</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** When no product name matches, what the free-text search finds for the same words. */
function Related({ q, view }: { q: string | undefined; view: ViewMode }) {
  const { data } = useRelatedProducts(q, true);
  if (!data || data.items.length === 0) return null;
  return (
    <section aria-labelledby="related-title" data-testid="related-products">
      <h2 id="related-title">Related products</h2>
      {data.didYouMean && <p className="muted">Showing results for “{data.didYouMean}”.</p>}
      <ProductList products={data.items} view={view} caption="Related products" />
    </section>
  );
}

export function Shop() {
  const [params, setParams] = useSearchParams();
  const query = productQueryFrom(params);
  const { data, isPending, isError, error, isPlaceholderData } = useProducts(query);
  const narrow = useNarrowScreen();
  const chosen = params.get('view');
  // Cards by default on a phone, the table on wider screens; a choice made in the URL wins.
  const view: ViewMode = chosen === 'grid' || chosen === 'table' ? chosen : narrow ? 'grid' : 'table';
  const lastPage = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : null;
  // A page number past the end (an old link, "?page=99") is replaced by the last page.
  useEffect(() => {
    if (lastPage !== null && !isPlaceholderData && Number(params.get('page') ?? 1) > lastPage) {
      const next = new URLSearchParams(params);
      if (lastPage === 1) next.delete('page');
      else next.set('page', String(lastPage));
      setParams(next, { replace: true });
    }
  }, [lastPage, isPlaceholderData, params, setParams]);
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
        <ViewSwitch view={view} onChange={(v) => update({ view: v })} />
      </div>
      {/* Remounted when the typed filters change in the URL (Clear, a removed chip), not when the
          category or sort does: a value being typed survives those. */}
      <Filters
        key={['price', 'priceOp', 'stock', 'stockOp'].map((k) => params.get(k)).join('|')}
        params={params}
        setParams={setParams}
      />
      <FilterChips params={params} setParams={setParams} />
      <div aria-live="polite" aria-busy={isPending || isPlaceholderData}>
        {isPending ? (
          <p className="loading">Loading products…</p>
        ) : isError ? (
          <p className="empty" role="alert">
            Could not load products: {error.message}
          </p>
        ) : data.items.length === 0 ? (
          <>
            <div className="empty" data-testid="no-results">
              <p>
                <strong>No products match your search and filters.</strong>
              </p>
              <p>Try fewer filters, another term, or clear them to see everything.</p>
            </div>
            <Related q={typeof query.q === 'string' ? query.q : undefined} view={view} />
          </>
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
