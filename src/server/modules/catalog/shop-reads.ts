import type { Category, Product, SearchPage } from '../../../contract/catalog.ts';
import type { Db } from '../../db/database.ts';
import { type Paged, type ProductListOptions, paging, toProduct } from './product-views.ts';
import { selectAllCategories, selectFavoriteProductIds, selectProducts } from './queries.ts';
import type { ListedProduct, ListingSort, ShopListing } from './shop-listing.ts';

/** The shop's list options: `relevance` orders a search (the default when `q` has terms). */
export type ShopListOptions = ProductListOptions<ListingSort>;

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

async function shopPage(listing: ShopListing, options: ShopListOptions): Promise<Paged<ListedProduct>> {
  const { sort, page, pageSize, filter } = paging(options);
  const { items, total } = await listing.page(filter, sort, page, pageSize);
  return { items, page, pageSize, total };
}

/** A page of the shop's listing (archived products never appear), served from memory. */
export async function listShopProducts(
  listing: ShopListing,
  options: ShopListOptions,
): Promise<Paged<Product>> {
  const result = await shopPage(listing, options);
  return { ...result, items: result.items.map((i) => i.product) };
}

/** A product's shop JSON with the viewer's `isFavorite` added. */
const withFavorite = (item: ListedProduct, favorite: boolean) =>
  `${item.json.slice(0, -1)},"isFavorite":${favorite}}`;

/**
 * A product page's JSON, from the in-memory listing like the catalog pages (so stock is as current
 * as the listing; checkouts through this process refresh their products at once), with
 * `isFavorite` for a signed-in viewer; null when unknown or archived.
 */
export async function shopProductJson(
  listing: ShopListing,
  db: Db,
  id: number,
  viewerUserId: number | null,
): Promise<string | null> {
  const item = await listing.product(id);
  if (!item) return null;
  if (!viewerUserId) return item.json;
  const favorites = await selectFavoriteProductIds(db, viewerUserId, [id]);
  return withFavorite(item, favorites.has(id));
}

/** Items already serialized as a page's JSON, with `isFavorite` for a signed-in viewer. */
async function pageJson(
  db: Db,
  page: Paged<ListedProduct>,
  viewerUserId: number | null,
  extra = '',
): Promise<string> {
  const { items } = page;
  let parts = items.map((i) => i.json);
  if (viewerUserId) {
    const favorites = await selectFavoriteProductIds(
      db,
      viewerUserId,
      items.map((i) => i.product.id),
    );
    parts = items.map((i) => withFavorite(i, favorites.has(i.product.id)));
  }
  return `{"items":[${parts.join(',')}],"page":${page.page},"pageSize":${page.pageSize},"total":${page.total}${extra}}`;
}

/**
 * The same page already serialized, with `isFavorite` for a signed-in viewer: the shop's busiest
 * request, so each product is serialized once per change, not once per request.
 */
export async function shopProductsJson(
  listing: ShopListing,
  db: Db,
  options: ShopListOptions,
  viewerUserId: number | null,
): Promise<string> {
  return pageJson(db, await shopPage(listing, options), viewerUserId);
}

async function searchPage(
  listing: ShopListing,
  text: string,
  options: { page?: number; pageSize?: number },
): Promise<Paged<ListedProduct> & { didYouMean?: string }> {
  const { page = 1, pageSize = 24 } = options;
  const found = await listing.search(text, (page - 1) * pageSize, pageSize);
  return { ...found, page, pageSize };
}

/**
 * Free-text search of the live catalog (`GET /api/search`): words over name, description and
 * category, typo-tolerant, ranked; `didYouMean` when a word was corrected. For other modules
 * (the assistant's catalog tool) as for the route.
 */
export async function searchCatalog(
  listing: ShopListing,
  text: string,
  options: { page?: number; pageSize?: number } = {},
): Promise<SearchPage> {
  const { items, ...rest } = await searchPage(listing, text, options);
  return { ...rest, items: items.map((i) => i.product) };
}

/** The same answer serialized, with `isFavorite` for a signed-in viewer. */
export async function searchCatalogJson(
  listing: ShopListing,
  db: Db,
  text: string,
  options: { page?: number; pageSize?: number },
  viewerUserId: number | null,
): Promise<string> {
  const found = await searchPage(listing, text, options);
  const extra = found.didYouMean === undefined ? '' : `,"didYouMean":${JSON.stringify(found.didYouMean)}`;
  return pageJson(db, found, viewerUserId, extra);
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

/**
 * Every category with its number of live products, in name order. The counts come from the
 * in-memory listing: counting them in SQL scans every product on each call.
 */
export async function listCategories(db: Db, listing: ShopListing): Promise<Category[]> {
  const [categories, counts] = await Promise.all([selectAllCategories(db), listing.categoryCounts()]);
  return categories.map(({ id, name, slug }) => ({ id, name, slug, productCount: counts.get(id) ?? 0 }));
}
