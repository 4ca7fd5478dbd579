import type { AdminProduct, Product, ProductSort } from '../../../contract/catalog.ts';
import type { ListedProductRow, ProductFilter, ProductRow } from './queries.ts';

/** How catalog rows become the API's product shapes, and the paging every product list shares. */

export type { ProductFilter };

export interface ProductListOptions<S extends string = ProductSort> extends ProductFilter {
  sort?: S;
  page?: number;
  pageSize?: number;
}

export interface Paged<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** Sort and paging with the API's defaults, set apart from the filter. */
export function paging<S extends string>(options: ProductListOptions<S>) {
  const { sort = 'name' as S | 'name', page = 1, pageSize = 24, ...filter } = options;
  return { sort, page, pageSize, filter };
}

/** A product as the shop API shows it; `isFavorite` only for a signed-in viewer. */
export function toProduct(
  row: ListedProductRow & { is_favorite?: number | null },
  viewerUserId: number | null | undefined,
): Product {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    category: { id: row.category_id, name: row.category_name, slug: row.category_slug },
    priceCents: row.price_cents,
    stock: row.stock,
    imageUrl: row.image_path,
    ...(viewerUserId ? { isFavorite: row.is_favorite === 1 } : {}),
  };
}

export function toAdminProduct(row: ProductRow): AdminProduct {
  return {
    ...toProduct(row, null),
    archived: row.archived === 1,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
