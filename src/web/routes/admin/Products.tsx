import { type FormEvent, useEffect, useState } from 'react';
import type { AdminProduct } from '../../../contract/catalog.ts';
import { api, isApiError } from '../../api/client.ts';
import { useCategories } from '../../api/hooks.ts';
import type { Page } from '../../api/types.ts';
import {
  type Query,
  useAdjustStock,
  useAdminProducts,
  useArchiveProduct,
  useCreateProduct,
  useStockAdjustments,
  useUpdateProduct,
  useUploadImage,
} from '../../components/admin/api.ts';
import { PagedTable, QueryState, SelectField, useSearchParamUpdate } from '../../components/admin/ui.tsx';
import { Field } from '../../components/Field.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { formatDate, formatPrice } from '../../format.ts';
import { usePageTitle } from '../usePageTitle.ts';

const PAGE_SIZE = 25;
const LOW_STOCK = 5;
const STOCK_REASONS = [
  'Received shipment',
  'Stock count correction',
  'Damaged or lost',
  'Customer return',
  'Other',
];

function queryFrom(params: URLSearchParams): Query {
  const stock = params.get('stock');
  const status = params.get('status') ?? 'live';
  return {
    q: params.get('q') ?? undefined,
    category: params.get('category') ?? undefined,
    archived: status === 'all' ? undefined : status === 'archived' ? 'true' : 'false',
    stockLt: stock === 'low' ? LOW_STOCK + 1 : stock === 'out' ? 1 : undefined,
    sort: params.get('sort') ?? 'name',
    page: Number(params.get('page') ?? 1) || 1,
    pageSize: PAGE_SIZE,
  };
}

interface Draft {
  name: string;
  description: string;
  categoryId: string;
  price: string;
  stock: string;
}

const emptyDraft: Draft = { name: '', description: '', categoryId: '', price: '', stock: '0' };

const draftOf = (p: AdminProduct): Draft => ({
  name: p.name,
  description: p.description,
  categoryId: String(p.category.id),
  price: (p.priceCents / 100).toFixed(2),
  stock: String(p.stock),
});

/** Client-side checks mirror the server's; the server's 422 `errors` land on the same fields. */
function checkDraft(d: Draft, creating: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!d.name.trim()) errors.name = 'Enter a name.';
  if (!d.description.trim()) errors.description = 'Enter a description.';
  if (!d.categoryId) errors.categoryId = 'Choose a category.';
  if (!/^\d+(\.\d{1,2})?$/.test(d.price.trim())) errors.priceCents = 'Enter a price in dollars, e.g. 19.99.';
  if (creating && !/^\d+$/.test(d.stock.trim())) errors.stock = 'Enter a whole number, 0 or more.';
  return errors;
}

function ProductForm({ product, onDone }: { product: AdminProduct | null; onDone: () => void }) {
  const creating = product === null;
  const [draft, setDraft] = useState<Draft>(product ? draftOf(product) : emptyDraft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [file, setFile] = useState<File | null>(null);
  const { data: categories } = useCategories();
  const create = useCreateProduct();
  const update = useUpdateProduct();
  const upload = useUploadImage();
  const notify = useNotify();
  const set = (name: keyof Draft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [name]: e.target.value }));
  const busy = create.isPending || update.isPending || upload.isPending;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const local = checkDraft(draft, creating);
    setErrors(local);
    if (Object.keys(local).length > 0) {
      notify.notify('error', 'Check the highlighted fields.');
      return;
    }
    const body = {
      name: draft.name.trim(),
      description: draft.description.trim(),
      categoryId: Number(draft.categoryId),
      priceCents: Math.round(Number(draft.price) * 100),
      ...(creating ? { stock: Number(draft.stock) } : {}),
    };
    let saved: AdminProduct | undefined;
    try {
      saved = creating
        ? await create.mutateAsync({ ...body, stock: Number(draft.stock) })
        : await update.mutateAsync({ id: product.id, body });
    } catch (error) {
      if (isApiError(error, 'validation_failed')) setErrors(error.fieldErrors());
      if (isApiError(error, 'name_taken')) setErrors({ name: 'Another product already has this name.' });
      notify.failure(error, 'Could not save the product.');
      return;
    }
    if (!saved) return;
    if (file) {
      try {
        await upload.mutateAsync({ id: saved.id, file });
      } catch (error) {
        setErrors({ file: error instanceof Error ? error.message : 'The image could not be uploaded.' });
        notify.failure(error, 'Saved, but the image could not be uploaded.');
        return;
      }
    }
    notify.success(creating ? `Created ${saved.name}.` : `Saved ${saved.name}.`);
    onDone();
  };

  return (
    <form className="panel admin-form" onSubmit={onSubmit} noValidate aria-labelledby="product-form-title">
      <h2 id="product-form-title">{creating ? 'New product' : `Edit ${product.name}`}</h2>
      <div className="form-grid">
        <Field
          name="name"
          label="Name"
          value={draft.name}
          onChange={set('name')}
          error={errors.name}
          maxLength={200}
        />
        <div className={`field${errors.categoryId ? ' field--invalid' : ''}`}>
          <label htmlFor="field-categoryId">Category</label>
          <select
            id="field-categoryId"
            value={draft.categoryId}
            onChange={set('categoryId')}
            aria-invalid={errors.categoryId ? true : undefined}
            aria-describedby={errors.categoryId ? 'field-categoryId-error' : undefined}
          >
            <option value="">Choose…</option>
            {categories?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          {errors.categoryId && (
            <p id="field-categoryId-error" className="field-error">
              {errors.categoryId}
            </p>
          )}
        </div>
        <Field
          name="priceCents"
          label="Price (USD)"
          inputMode="decimal"
          value={draft.price}
          onChange={set('price')}
          error={errors.priceCents}
        />
        {creating && (
          <Field
            name="stock"
            label="Initial stock"
            inputMode="numeric"
            value={draft.stock}
            onChange={set('stock')}
            error={errors.stock}
          />
        )}
      </div>
      <div className={`field${errors.description ? ' field--invalid' : ''}`}>
        <label htmlFor="field-description">Description</label>
        <textarea
          id="field-description"
          rows={3}
          value={draft.description}
          onChange={set('description')}
          maxLength={5000}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={errors.description ? 'field-description-error' : undefined}
        />
        {errors.description && (
          <p id="field-description-error" className="field-error">
            {errors.description}
          </p>
        )}
      </div>
      <Field
        name="file"
        label="Image (PNG, JPEG or WebP, up to 5 MB)"
        type="file"
        accept="image/png,image/jpeg,image/webp"
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        error={errors.file}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {creating ? 'Create product' : 'Save changes'}
        </button>
        <button type="button" className="btn btn--ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function StockForm({ product, onDone }: { product: AdminProduct; onDone: () => void }) {
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState(STOCK_REASONS[0]);
  const [error, setError] = useState<string | undefined>();
  const adjust = useAdjustStock();
  const notify = useNotify();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const value = delta.trim();
    if (!/^[+-]?\d+$/.test(value) || Number(value) === 0) {
      setError('Enter a whole number other than 0, e.g. 10 or -3.');
      return;
    }
    setError(undefined);
    adjust.mutate(
      { id: product.id, delta: Number(value), reason },
      {
        onSuccess: (p) => {
          notify.success(
            `${product.name}: stock ${Number(value) > 0 ? '+' : ''}${Number(value)} (${reason}), now ${p?.stock}.`,
          );
          onDone();
        },
        onError: (e) => {
          const message = isApiError(e, 'insufficient_stock')
            ? `Only ${product.stock} in stock: cannot remove ${-Number(value)}.`
            : e.message;
          setError(message);
          notify.notify('error', `${product.name}: ${message}`);
        },
      },
    );
  };

  return (
    <form
      className="stock-form"
      onSubmit={onSubmit}
      noValidate
      aria-label={`Adjust stock of ${product.name}`}
    >
      <Field
        name="delta"
        id={`delta-${product.id}`}
        label="Change (+/−)"
        inputMode="numeric"
        value={delta}
        onChange={(e) => setDelta(e.target.value)}
        error={error}
        autoFocus
      />
      <div className="field">
        <label htmlFor={`reason-${product.id}`}>Reason</label>
        <select id={`reason-${product.id}`} value={reason} onChange={(e) => setReason(e.target.value)}>
          {STOCK_REASONS.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </div>
      <button type="submit" className="btn btn--primary btn--small" disabled={adjust.isPending}>
        Apply
      </button>
      <button type="button" className="btn btn--ghost btn--small" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}

/** A stock change as the admin reads it: `+6`, `−2` (a true minus sign). */
const signedDelta = (delta: number) => (delta > 0 ? `+${delta}` : `−${Math.abs(delta)}`);

/** The product's manual stock changes, newest first (checkout sales are in the orders instead). */
function StockHistory({ product }: { product: AdminProduct }) {
  const { data, error, refetch, isFetching } = useStockAdjustments(product.id);
  const notify = useNotify();
  useEffect(() => {
    if (error)
      notify.notify('error', `Could not load the stock history of ${product.name}. ${error.message}`);
  }, [error, notify, product.name]);

  if (!data) {
    if (!error) return <p className="loading">Loading stock history…</p>;
    return (
      <p className="stock-history__state">
        The stock history could not be loaded.{' '}
        <button
          type="button"
          className="btn btn--ghost btn--small"
          onClick={() => refetch()}
          disabled={isFetching}
        >
          Try again
        </button>
      </p>
    );
  }
  if (data.length === 0) {
    return <p className="stock-history__state muted">No manual stock changes yet.</p>;
  }
  return (
    <table className="data-table stock-history__table" data-testid="stock-history">
      <caption>Manual stock changes of {product.name}, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col" className="num">
            Change
          </th>
          <th scope="col" className="num">
            Stock after
          </th>
          <th scope="col">Reason</th>
          <th scope="col">By</th>
        </tr>
      </thead>
      <tbody>
        {data.map((entry) => (
          <tr key={entry.id} data-testid="stock-history-entry">
            <th scope="row">{formatDate(entry.createdAt)}</th>
            <td className="num">{signedDelta(entry.delta)}</td>
            <td className="num">{entry.stockAfter}</td>
            <td>{entry.reason ?? <span className="muted">No reason given</span>}</td>
            <td>{entry.adminUsername ?? <span className="muted">Deleted account</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ProductRow({ product, onEdit }: { product: AdminProduct; onEdit: () => void }) {
  const [adjusting, setAdjusting] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const archive = useArchiveProduct();
  const restore = useUpdateProduct();
  const notify = useNotify();

  const onArchive = () =>
    archive.mutate(product.id, {
      onSuccess: async () => {
        setConfirming(false);
        // The API archives a product that appears in orders and deletes one that never did.
        const archived = await api<Page<AdminProduct>>(
          `/api/admin/products?archived=true&q=${encodeURIComponent(product.name)}`,
        ).then(
          (page) => page.items.some((p) => p.id === product.id),
          () => true,
        );
        notify.success(
          archived
            ? `Archived ${product.name}: hidden from the shop, kept in order history.`
            : `Deleted ${product.name}: it was never ordered.`,
        );
      },
      onError: (e) => notify.failure(e, `Could not archive ${product.name}.`),
    });
  const onRestore = () =>
    restore.mutate(
      { id: product.id, body: { archived: false } },
      {
        onSuccess: () => notify.success(`Restored ${product.name} to the shop.`),
        onError: (e) => notify.failure(e, `Could not restore ${product.name}.`),
      },
    );

  const stockClass = product.stock === 0 ? 'stock--out' : product.stock <= LOW_STOCK ? 'stock--low' : '';
  return (
    <>
      <tr
        data-testid="admin-product-row"
        data-product-id={product.id}
        className={product.archived ? 'row--archived' : ''}
      >
        <td>
          {product.imageUrl ? (
            <img className="img img--thumb" src={product.imageUrl} alt="" width={40} height={40} />
          ) : (
            <span className="img img--thumb img--empty" aria-hidden="true" />
          )}
        </td>
        <th scope="row">
          {product.archived ? product.name : <a href={`/products/${product.id}`}>{product.name}</a>}
          {product.archived && <span className="pill pill--archived">archived</span>}
        </th>
        <td>{product.category.name}</td>
        <td className="num">{formatPrice(product.priceCents)}</td>
        <td className={`num ${stockClass}`} data-testid="stock">
          {product.stock}
        </td>
        <td>{formatDate(product.updatedAt)}</td>
        <td className="cell-actions">
          <button
            type="button"
            className="btn btn--ghost btn--small"
            onClick={onEdit}
            aria-label={`Edit ${product.name}`}
          >
            Edit
          </button>
          <button
            type="button"
            className="btn btn--ghost btn--small"
            onClick={() => setAdjusting((a) => !a)}
            aria-expanded={adjusting}
            aria-label={`Adjust stock of ${product.name}`}
          >
            Stock
          </button>
          <button
            type="button"
            className="btn btn--ghost btn--small"
            onClick={() => setShowHistory((h) => !h)}
            aria-expanded={showHistory}
            aria-controls={showHistory ? `stock-history-${product.id}` : undefined}
            aria-label={`Stock history of ${product.name}`}
          >
            History
          </button>
          {product.archived ? (
            <button
              type="button"
              className="btn btn--ghost btn--small"
              onClick={onRestore}
              disabled={restore.isPending}
              aria-label={`Restore ${product.name}`}
            >
              Restore
            </button>
          ) : confirming ? (
            <span className="confirm">
              <button
                type="button"
                className="btn btn--danger btn--small"
                onClick={onArchive}
                disabled={archive.isPending}
                aria-label={`Confirm archiving ${product.name}`}
              >
                Archive
              </button>
              <button
                type="button"
                className="btn btn--ghost btn--small"
                onClick={() => setConfirming(false)}
              >
                Keep
              </button>
            </span>
          ) : (
            <button
              type="button"
              className="btn btn--danger-outline btn--small"
              onClick={() => setConfirming(true)}
              aria-label={`Archive ${product.name}`}
            >
              Archive
            </button>
          )}
        </td>
      </tr>
      {adjusting && (
        <tr className="row--form">
          <td colSpan={7}>
            <StockForm product={product} onDone={() => setAdjusting(false)} />
          </td>
        </tr>
      )}
      {showHistory && (
        <tr className="row--form">
          <td colSpan={7} id={`stock-history-${product.id}`} className="stock-history">
            <StockHistory product={product} />
          </td>
        </tr>
      )}
    </>
  );
}

export function Products() {
  usePageTitle('Admin products');
  const [params, update] = useSearchParamUpdate();
  const query = queryFrom(params);
  const { data, error, isPending } = useAdminProducts(query);
  const { data: categories } = useCategories();
  const [editing, setEditing] = useState<AdminProduct | 'new' | null>(null);
  const [search, setSearch] = useState(params.get('q') ?? '');

  return (
    <div>
      <div className="page-head">
        <h1>Products</h1>
        <button type="button" className="btn btn--primary" onClick={() => setEditing('new')}>
          New product
        </button>
      </div>
      {editing && (
        <ProductForm
          key={editing === 'new' ? 'new' : editing.id}
          product={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
        />
      )}
      <form
        className="filters admin-filters"
        onSubmit={(e) => {
          e.preventDefault();
          update({ q: search.trim() });
        }}
      >
        <div className="field">
          <label htmlFor="p-search">Search names</label>
          <input id="p-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <SelectField
          id="p-category"
          label="Category"
          value={params.get('category') ?? ''}
          onChange={(category) => update({ category })}
        >
          <option value="">All</option>
          {categories?.map((c) => (
            <option key={c.id} value={c.slug}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="p-status"
          label="Status"
          value={params.get('status') ?? 'live'}
          onChange={(status) => update({ status })}
        >
          <option value="live">In the shop</option>
          <option value="archived">Archived</option>
          <option value="all">All</option>
        </SelectField>
        <SelectField
          id="p-stock"
          label="Stock"
          value={params.get('stock') ?? ''}
          onChange={(stock) => update({ stock })}
        >
          <option value="">Any</option>
          <option value="low">Low ({LOW_STOCK} or fewer)</option>
          <option value="out">Out of stock</option>
        </SelectField>
        <SelectField
          id="p-sort"
          label="Sort"
          value={params.get('sort') ?? 'name'}
          onChange={(sort) => update({ sort })}
        >
          <option value="name">Name A–Z</option>
          <option value="-name">Name Z–A</option>
          <option value="price">Price ↑</option>
          <option value="-price">Price ↓</option>
          <option value="stock">Stock ↑</option>
          <option value="-stock">Stock ↓</option>
          <option value="newest">Newest</option>
        </SelectField>
        <button type="submit" className="btn btn--primary">
          Search
        </button>
      </form>
      {!data ? (
        <QueryState error={error} isPending={isPending} />
      ) : (
        <PagedTable
          result={data}
          noun="product"
          onPage={(p) => update({ page: String(p) })}
          head={
            <>
              <th scope="col">
                <span className="visually-hidden">Image</span>
              </th>
              <th scope="col">Name</th>
              <th scope="col">Category</th>
              <th scope="col" className="num">
                Price
              </th>
              <th scope="col" className="num">
                Stock
              </th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </>
          }
        >
          {data.items.map((p) => (
            <ProductRow key={p.id} product={p} onEdit={() => setEditing(p)} />
          ))}
        </PagedTable>
      )}
    </div>
  );
}
