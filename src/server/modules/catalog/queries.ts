import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { ProductSort } from '../../../contract/catalog.ts';
import type { Db, Executor } from '../../db/database.ts';
import { dialectAdapterOf } from '../../db/dialect-adapter.ts';
import { binaryCollated, inTransaction, likeContains } from '../../db/dialect.ts';
import type { Database } from '../../db/schema.ts';

/** SQL of the catalog module. */

export interface ProductFilter {
  /** A product matches if its name contains any term (case-insensitive, `%`/`_` literal). */
  terms?: string[];
  categorySlug?: string;
  priceLt?: number;
  priceGt?: number;
  priceEq?: number;
  /** Inclusive bounds, for callers that think in ranges (the assistant). */
  priceMin?: number;
  priceMax?: number;
  stockLt?: number;
  stockGt?: number;
  stockEq?: number;
  inStock?: boolean;
  ids?: number[];
  /** undefined: live products only; 'all': archived too; 'only': archived only. */
  archived?: 'all' | 'only';
}

export interface ListedProductRow {
  id: number;
  name: string;
  description: string;
  price_cents: number;
  stock: number;
  image_path: string | null;
  archived: number;
  created_at: number;
  updated_at: number;
  category_id: number;
  category_name: string;
  category_slug: string;
}

export interface ProductRow extends ListedProductRow {
  is_favorite: number | null;
}

const PRODUCT_COLUMNS = [
  'products.id',
  'products.name',
  'products.description',
  'products.price_cents',
  'products.stock',
  'products.image_path',
  'products.archived',
  'products.created_at',
  'products.updated_at',
  'categories.id as category_id',
  'categories.name as category_name',
  'categories.slug as category_slug',
] as const;

type ProductQuery = SelectQueryBuilder<Database, 'products' | 'categories', object>;

function applyFilter(query: ProductQuery, filter: ProductFilter): ProductQuery {
  let q = query;
  if (filter.archived === undefined) q = q.where('products.archived', '=', 0);
  if (filter.archived === 'only') q = q.where('products.archived', '=', 1);
  const terms = (filter.terms ?? []).map((t) => t.toLowerCase());
  if (terms.length > 0) {
    q = q.where((eb: ExpressionBuilder<Database, 'products' | 'categories'>) =>
      eb.or(
        terms.map((t) => sql<boolean>`${sql.ref('products.name_key')} like ${likeContains(t)} escape '!'`),
      ),
    );
  }
  // By id through a subquery, not through the join: the planner can then walk a products index in
  // page order whichever table it starts from (docs/decisions/064-catalog-query-plans.md).
  const slug = filter.categorySlug;
  if (slug !== undefined) {
    q = q.where('products.category_id', '=', (eb) =>
      eb.selectFrom('categories as c').select('c.id').where('c.slug', '=', slug),
    );
  }
  if (filter.priceLt !== undefined) q = q.where('products.price_cents', '<', filter.priceLt);
  if (filter.priceGt !== undefined) q = q.where('products.price_cents', '>', filter.priceGt);
  if (filter.priceEq !== undefined) q = q.where('products.price_cents', '=', filter.priceEq);
  if (filter.priceMin !== undefined) q = q.where('products.price_cents', '>=', filter.priceMin);
  if (filter.priceMax !== undefined) q = q.where('products.price_cents', '<=', filter.priceMax);
  if (filter.stockLt !== undefined) q = q.where('products.stock', '<', filter.stockLt);
  if (filter.stockGt !== undefined) q = q.where('products.stock', '>', filter.stockGt);
  if (filter.stockEq !== undefined) q = q.where('products.stock', '=', filter.stockEq);
  if (filter.inStock) q = q.where('products.stock', '>', 0);
  if (filter.ids !== undefined) {
    q = filter.ids.length > 0 ? q.where('products.id', 'in', filter.ids) : q.where(sql<boolean>`1 = 0`);
  }
  return q;
}

function baseQuery(db: Db): ProductQuery {
  return db.selectFrom('products').innerJoin('categories', 'categories.id', 'products.category_id');
}

function orderBy<O>(
  db: Db,
  query: SelectQueryBuilder<Database, 'products' | 'categories', O>,
  sort: ProductSort,
) {
  const name = binaryCollated(db, 'products.name_key');
  switch (sort) {
    case 'name':
      return query.orderBy(name, 'asc').orderBy('products.id', 'asc');
    case '-name':
      return query.orderBy(name, 'desc').orderBy('products.id', 'asc');
    case 'price':
      return query.orderBy('products.price_cents', 'asc').orderBy('products.id', 'asc');
    case '-price':
      return query.orderBy('products.price_cents', 'desc').orderBy('products.id', 'asc');
    case 'stock':
      return query.orderBy('products.stock', 'asc').orderBy('products.id', 'asc');
    case '-stock':
      return query.orderBy('products.stock', 'desc').orderBy('products.id', 'asc');
    case 'newest':
      return query.orderBy('products.created_at', 'desc').orderBy('products.id', 'desc');
  }
}

/**
 * One page of products with their category and, for a signed-in viewer, whether each is a
 * favorite — a LEFT JOIN in the same query rather than one lookup per product.
 */
export async function selectProducts(
  db: Db,
  filter: ProductFilter,
  options: { sort: ProductSort; limit: number; offset: number; viewerUserId?: number | null },
): Promise<ProductRow[]> {
  const viewer = options.viewerUserId ?? null;
  const query = applyFilter(baseQuery(db), filter)
    .leftJoin('favorites', (join) =>
      join.onRef('favorites.product_id', '=', 'products.id').on('favorites.user_id', '=', viewer ?? -1),
    )
    .select([...PRODUCT_COLUMNS, 'favorites.user_id as is_favorite']);
  // Products first (not the small categories table), so the sort index and LIMIT stop after a page.
  const ordered = orderBy(db, dialectAdapterOf(db).joinInWrittenOrder(query), options.sort);
  const rows = await ordered.limit(options.limit).offset(options.offset).execute();
  return rows.map((r) => ({
    ...r,
    is_favorite: r.is_favorite === null ? null : 1,
    created_at: Number(r.created_at),
    updated_at: Number(r.updated_at),
  }));
}

export async function countProducts(db: Db, filter: ProductFilter): Promise<number> {
  const row = await applyFilter(baseQuery(db), filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Rows for the in-memory shop listing: every live product (or a page of them by id), or (with
 * `changedSince` or `ids`) every product written since then or with those ids, archived ones
 * included so that the listing can drop them.
 */
export async function selectListedProducts(
  db: Db,
  options: { changedSince?: number; ids?: readonly number[]; afterId?: number; limit?: number } = {},
): Promise<ListedProductRow[]> {
  let query = baseQuery(db).select(PRODUCT_COLUMNS);
  if (options.ids) query = query.where('products.id', 'in', options.ids);
  else if (options.changedSince !== undefined) {
    query = query.where('products.updated_at', '>=', options.changedSince);
  } else query = query.where('products.archived', '=', 0);
  // A full read in pages by id (`afterId`, `limit`), so that a large catalog is read in parts.
  // Products first: MariaDB otherwise starts from the small categories table and sorts the whole
  // catalog for every page (seconds per page at a million products).
  if (options.limit !== undefined) {
    query = dialectAdapterOf(db)
      .joinInWrittenOrder(query)
      .where('products.id', '>', options.afterId ?? 0)
      .orderBy('products.id')
      .limit(options.limit);
  }
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, created_at: Number(r.created_at), updated_at: Number(r.updated_at) }));
}

/** Which of these products the user has favorited. */
export async function selectFavoriteProductIds(
  db: Db,
  userId: number,
  productIds: readonly number[],
): Promise<Set<number>> {
  if (productIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('favorites')
    .select('product_id')
    .where('user_id', '=', userId)
    .where('product_id', 'in', productIds)
    .execute();
  return new Set(rows.map((r) => r.product_id));
}

export async function categoryExists(db: Db, id: number): Promise<boolean> {
  return !!(await db.selectFrom('categories').select('id').where('id', '=', id).executeTakeFirst());
}

export interface ProductValues {
  name?: string;
  description?: string;
  category_id?: number;
  price_cents?: number;
  stock?: number;
  image_path?: string | null;
  archived?: number;
}

export async function insertProduct(
  db: Db,
  values: Required<Omit<ProductValues, 'archived'>>,
  createdAt = Date.now(),
): Promise<number> {
  const result = await db
    .insertInto('products')
    .values({ ...values, created_at: createdAt, updated_at: createdAt })
    .executeTakeFirstOrThrow();
  return Number(result.insertId);
}

/** False when no product has this id. */
export async function updateProductRow(db: Db, id: number, values: ProductValues): Promise<boolean> {
  const result = await db
    .updateTable('products')
    .set({ ...values, updated_at: Date.now() })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Adds `delta` to the stock only if the result stays within [0, max], in one statement, so
 * concurrent adjustments and checkouts cannot drive it negative.
 */
export async function adjustStockRow(db: Db, id: number, delta: number, max: number): Promise<boolean> {
  const result = await db
    .updateTable('products')
    .set((eb) => ({ stock: eb('stock', '+', delta), updated_at: Date.now() }))
    .where('id', '=', id)
    .where((eb) => eb(eb('stock', '+', delta), '>=', 0))
    .where((eb) => eb(eb('stock', '+', delta), '<=', max))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function isProductInAnyOrder(db: Db, id: number): Promise<boolean> {
  return !!(await db
    .selectFrom('order_lines')
    .select('id')
    .where('product_id', '=', id)
    .limit(1)
    .executeTakeFirst());
}

/** Deletes the product and records the deletion for every instance's listing, in one transaction. */
export async function deleteProductRow(db: Db, id: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { numDeletedRows } = await trx.deleteFrom('products').where('id', '=', id).executeTakeFirst();
    if (numDeletedRows > 0n) {
      await trx.insertInto('product_deletions').values({ product_id: id, deleted_at: Date.now() }).execute();
    }
  });
}

/** The ids of the products deleted at or after `since` (ms), repeats possible. */
export async function selectDeletedProductIds(db: Db, since: number): Promise<number[]> {
  const rows = await db
    .selectFrom('product_deletions')
    .select('product_id')
    .where('deleted_at', '>=', since)
    .execute();
  return rows.map((r) => r.product_id);
}

export async function productImagePath(db: Db, id: number): Promise<string | null | undefined> {
  const row = await db.selectFrom('products').select('image_path').where('id', '=', id).executeTakeFirst();
  return row?.image_path;
}

export async function currentStock(db: Db, id: number): Promise<number | undefined> {
  const row = await db.selectFrom('products').select('stock').where('id', '=', id).executeTakeFirst();
  return row?.stock;
}

export async function insertStockAdjustment(
  db: Db,
  values: {
    productId: number;
    adminUserId: number;
    delta: number;
    stockAfter: number;
    reason: string | null;
  },
): Promise<void> {
  await db
    .insertInto('stock_adjustments')
    .values({
      product_id: values.productId,
      admin_user_id: values.adminUserId,
      delta: values.delta,
      stock_after: values.stockAfter,
      reason: values.reason,
      created_at: Date.now(),
    })
    .execute();
}

export function selectStockAdjustments(db: Db, productId: number, limit: number) {
  return db
    .selectFrom('stock_adjustments')
    .leftJoin('users', 'users.id', 'stock_adjustments.admin_user_id')
    .select([
      'stock_adjustments.id as id',
      'stock_adjustments.delta as delta',
      'stock_adjustments.stock_after as stockAfter',
      'stock_adjustments.reason as reason',
      'users.username as adminUsername',
      'stock_adjustments.created_at as createdAt',
    ])
    .where('stock_adjustments.product_id', '=', productId)
    .orderBy('stock_adjustments.id', 'desc')
    .limit(limit)
    .execute();
}

/** How many products (archived ones too) show this picture. */
export async function countProductsWithImage(db: Db, imagePath: string): Promise<number> {
  const row = await db
    .selectFrom('products')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('image_path', '=', imagePath)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---- Bulk import and export (product-import.ts) ----

/** Every category, in name order (the database's collation) and then id. */
export function selectAllCategories(db: Executor) {
  return db.selectFrom('categories').select(['id', 'name', 'slug']).orderBy('name').orderBy('id').execute();
}

export async function insertCategory(db: Executor, values: { name: string; slug: string }): Promise<number> {
  const result = await db.insertInto('categories').values(values).executeTakeFirstOrThrow();
  return Number(result.insertId);
}

/** Every product's lower-cased name with its id, archived ones too (names are unique over all). */
export async function selectProductNameKeys(db: Executor): Promise<Map<string, number>> {
  const rows = await db.selectFrom('products').select(['id', 'name_key']).execute();
  return new Map(rows.map((r) => [r.name_key, r.id]));
}

export interface ImportedProductValues {
  name: string;
  description: string;
  category_id: number;
  price_cents: number;
  stock: number;
  image_path?: string | null;
}

export async function insertProducts(
  db: Executor,
  rows: (ImportedProductValues & { image_path: string | null; created_at: number; updated_at: number })[],
): Promise<void> {
  await db.insertInto('products').values(rows).execute();
}

export async function updateImportedProduct(
  db: Executor,
  id: number,
  values: ImportedProductValues,
  now: number,
): Promise<void> {
  await db
    .updateTable('products')
    .set({ ...values, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Moves every product stamped `from` to `to` (a bulk write's rows, just before it commits). */
export async function restampProducts(db: Executor, from: number, to: number): Promise<void> {
  await db.updateTable('products').set({ updated_at: to }).where('updated_at', '=', from).execute();
}

/** Live products after `afterId` in id order, with their category's name, for the export. */
export function selectProductsForExport(db: Executor, afterId: number, limit: number) {
  return db
    .selectFrom('products')
    .innerJoin('categories', 'categories.id', 'products.category_id')
    .select([
      'products.id',
      'products.name',
      'products.description',
      'categories.name as category',
      'products.price_cents',
      'products.stock',
      'products.image_path',
    ])
    .where('products.archived', '=', 0)
    .where('products.id', '>', afterId)
    .orderBy('products.id')
    .limit(limit)
    .execute();
}
