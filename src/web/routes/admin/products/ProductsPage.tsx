import { useState } from 'react';
import type { AdminProduct } from '../../../../contract/catalog.ts';
import { useCategories } from '../../../api/hooks.ts';
import { useAdminProducts } from '../../../components/admin/api.ts';
import { PagedTable, QueryState, SelectField, useSearchParamUpdate } from '../../../components/admin/ui.tsx';
import { usePageTitle } from '../../usePageTitle.ts';
import { CsvImport } from './CsvImport.tsx';
import { ProductForm } from './ProductForm.tsx';
import { ProductRow } from './ProductRow.tsx';
import { LOW_STOCK, queryFrom } from './query.ts';

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
      <CsvImport />
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
