import type { Category, Product } from '../../../contract/catalog.ts';
import type { Db } from '../../db/database.ts';
import { type Paged, type ProductListOptions, paging, toProduct } from './product-views.ts';
import { selectCategories, selectFavoriteProductIds, selectProducts } from './queries.ts';
import type { ListedProduct, ShopListing } from './shop-listing.ts';

/** What the shop reads: listing pages (from memory), single products and categories. */

/** "red, , Blue " → ["red", "Blue"]: blank terms are dropped, so `q=,` filters nothing. */
export function splitSearchTerms(q: string | undefined): string[] {
  if (!q) return [];
  const terms = q
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return [...new Set(terms)].slice(0, 20);
}

async function shopPage(listing: ShopListing, options: ProductListOptions): Promise<Paged<ListedProduct>> {
  const { sort, page, pageSize, filter } = paging(options);
  const { items, total } = await listing.page(filter, sort, page, pageSize);
  return { items, page, pageSize, total };
}

/** A page of the shop's listing (archived products never appear), served from memory. */
export async function listShopProducts(
  listing: ShopListing,
  options: ProductListOptions,
): Promise<Paged<Product>> {
  const result = await shopPage(listing, options);
  return { ...result, items: result.items.map((i) => i.product) };
}

/**
 * The same page already serialized, with `isFavorite` for a signed-in viewer: the shop's busiest
 * request, so each product is serialized once per change, not once per request.
 */
export async function shopProductsJson(
  listing: ShopListing,
  db: Db,
  options: ProductListOptions,
  viewerUserId: number | null,
): Promise<string> {
  const { items, page, pageSize, total } = await shopPage(listing, options);
  let parts = items.map((i) => i.json);
  if (viewerUserId) {
    const favorites = await selectFavoriteProductIds(
      db,
      viewerUserId,
      items.map((i) => i.product.id),
    );
    parts = items.map((i) => `${i.json.slice(0, -1)},"isFavorite":${favorites.has(i.product.id)}}`);
  }
  return `{"items":[${parts.join(',')}],"page":${page},"pageSize":${pageSize},"total":${total}}`;
}

/** A live product, or null when unknown or archived. */
export async function getProduct(db: Db, id: number, viewerUserId?: number | null): Promise<Product | null> {
  const [row] = await selectProducts(db, { ids: [id] }, { sort: 'name', limit: 1, offset: 0, viewerUserId });
  return row ? toProduct(row, viewerUserId) : null;
}

/** Live products with these ids, in ascending id order; unknown and archived ids are left out. */
export async function getProductsByIds(
  db: Db,
  ids: readonly number[],
  viewerUserId?: number | null,
): Promise<Product[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await selectProducts(
    db,
    { ids: unique },
    { sort: 'name', limit: unique.length, offset: 0, viewerUserId },
  );
  return rows.map((r) => toProduct(r, viewerUserId)).sort((a, b) => a.id - b.id);
}

export function listCategories(db: Db): Promise<Category[]> {
  return selectCategories(db);
}
