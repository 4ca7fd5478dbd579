import { randomBytes } from 'node:crypto';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  type AdminProduct,
  type Category,
  type CreateProductInput,
  createProductSchema,
  MAX_STOCK,
  type Product,
  type ProductSort,
  type UpdateProductInput,
  updateProductSchema,
  type StockAdjustmentEntry,
} from '../../../contract/catalog.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction, isForeignKeyViolation, isUniqueViolation } from '../../db/dialect.ts';
import { AppError, notFound } from '../../app-error.ts';
import {
  adjustStockRow,
  categoryExists,
  countProducts,
  currentStock,
  deleteProductRow,
  insertProduct,
  insertStockAdjustment,
  isProductInAnyOrder,
  type ListedProductRow,
  type ProductFilter,
  type ProductRow,
  type ProductValues,
  productImagePath,
  selectCategories,
  selectFavoriteProductIds,
  selectProducts,
  selectStockAdjustments,
  updateProductRow,
} from './queries.ts';
import type { ListedProduct, ShopListing } from './shop-listing.ts';

export type { ProductFilter };

export interface ProductListOptions extends ProductFilter {
  sort?: ProductSort;
  page?: number;
  pageSize?: number;
}

export interface Paged<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** "red, , Blue " → ["red", "Blue"]: blank terms are dropped, so `q=,` filters nothing. */
export function splitSearchTerms(q: string | undefined): string[] {
  if (!q) return [];
  const terms = q
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return [...new Set(terms)].slice(0, 20);
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

function toAdminProduct(row: ProductRow): AdminProduct {
  return {
    ...toProduct(row, null),
    archived: row.archived === 1,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Sort and paging with the API's defaults, set apart from the filter. */
function paging(options: ProductListOptions) {
  const { sort = 'name', page = 1, pageSize = 24, ...filter } = options;
  return { sort, page, pageSize, filter };
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

// ---- Administration ----

/** Read from the database itself, not the shop listing: the console must show its own writes. */
export async function listAdminProducts(db: Db, options: ProductListOptions): Promise<Paged<AdminProduct>> {
  const { sort, page, pageSize, filter } = paging({ archived: 'all', ...options });
  const [rows, total] = await Promise.all([
    selectProducts(db, filter, { sort, limit: pageSize, offset: (page - 1) * pageSize }),
    countProducts(db, filter),
  ]);
  return { items: rows.map(toAdminProduct), page, pageSize, total };
}

async function getAdminProduct(db: Db, id: number): Promise<AdminProduct> {
  const [row] = await selectProducts(
    db,
    { ids: [id], archived: 'all' },
    { sort: 'name', limit: 1, offset: 0 },
  );
  if (!row) throw notFound('Product');
  return toAdminProduct(row);
}

function unknownCategory() {
  return new AppError(422, 'validation_failed', 'Invalid value for: categoryId', {
    errors: [{ field: 'categoryId', in: 'body', message: 'No category has this id' }],
  });
}

const nameTaken = () => new AppError(409, 'name_taken', 'Another product already has this name');

async function writeProduct<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    if (isForeignKeyViolation(error)) throw unknownCategory();
    throw error;
  }
}

export async function createProduct(db: Db, input: CreateProductInput): Promise<AdminProduct> {
  const data = createProductSchema.parse(input);
  if (!(await categoryExists(db, data.categoryId))) throw unknownCategory();
  const id = await writeProduct(() =>
    insertProduct(db, {
      name: data.name,
      description: data.description,
      category_id: data.categoryId,
      price_cents: data.priceCents,
      stock: data.stock,
      image_path: data.imageUrl ?? null,
    }),
  );
  return getAdminProduct(db, id);
}

export async function updateProduct(db: Db, id: number, input: UpdateProductInput): Promise<AdminProduct> {
  const data = updateProductSchema.parse(input);
  if (data.categoryId !== undefined && !(await categoryExists(db, data.categoryId))) throw unknownCategory();
  const values: ProductValues = {};
  if (data.name !== undefined) values.name = data.name;
  if (data.description !== undefined) values.description = data.description;
  if (data.categoryId !== undefined) values.category_id = data.categoryId;
  if (data.priceCents !== undefined) values.price_cents = data.priceCents;
  if (data.stock !== undefined) values.stock = data.stock;
  if (data.imageUrl !== undefined) values.image_path = data.imageUrl;
  if (data.archived !== undefined) values.archived = data.archived ? 1 : 0;
  const found = await writeProduct(() => updateProductRow(db, id, values));
  if (!found) throw notFound('Product');
  return getAdminProduct(db, id);
}

/**
 * Deletes a product nobody ever ordered; one that appears in an order (open or closed) is archived
 * instead: hidden from the shop, kept in order history.
 */
export async function removeProduct(db: Db, id: number): Promise<'deleted' | 'archived'> {
  if ((await productImagePath(db, id)) === undefined) throw notFound('Product');
  const archive = async () => {
    await updateProductRow(db, id, { archived: 1 });
    return 'archived' as const;
  };
  if (await isProductInAnyOrder(db, id)) return archive();
  try {
    await deleteProductRow(db, id);
    return 'deleted';
  } catch (error) {
    // A cart took the product between the check and the delete.
    if (isForeignKeyViolation(error)) return archive();
    throw error;
  }
}

/** Changes stock atomically and records who did it and why in the same transaction. */
export async function adjustStock(
  db: Db,
  id: number,
  delta: number,
  by: { adminUserId: number; reason?: string },
): Promise<AdminProduct> {
  const adjusted = await inTransaction(db, async (trx) => {
    if (!(await adjustStockRow(trx, id, delta, MAX_STOCK))) return false;
    const stockAfter = (await currentStock(trx, id))!;
    await insertStockAdjustment(trx, {
      productId: id,
      adminUserId: by.adminUserId,
      delta,
      stockAfter,
      reason: by.reason ?? null,
    });
    return true;
  });
  if (adjusted) return getAdminProduct(db, id);
  const current = await getAdminProduct(db, id); // 404 when unknown
  if (current.stock + delta < 0) {
    throw new AppError(409, 'insufficient_stock', `Only ${current.stock} in stock`, {
      available: current.stock,
    });
  }
  throw new AppError(409, 'stock_limit_exceeded', `Stock may not exceed ${MAX_STOCK}`, {
    available: current.stock,
  });
}

/** The newest manual stock changes of a product, for the admin's audit trail. */
export async function listStockAdjustments(db: Db, id: number): Promise<StockAdjustmentEntry[]> {
  await getAdminProduct(db, id); // 404 when unknown
  const rows = await selectStockAdjustments(db, id, 50);
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() }));
}

// ---- Images ----

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

const IMAGE_TYPES = [
  { ext: 'png', test: (b: Buffer) => b.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')) },
  { ext: 'jpg', test: (b: Buffer) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    ext: 'webp',
    test: (b: Buffer) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
];

/** The file extension for a PNG, JPEG or WebP judged by its first bytes, whatever it claims to be. */
export function sniffImageType(bytes: Buffer): string | null {
  return IMAGE_TYPES.find((t) => t.test(bytes))?.ext ?? null;
}

export function uploadsDir(dataDir: string): string {
  return join(dataDir, 'uploads');
}

/** Stores an uploaded image under DATA_DIR/uploads and points the product at it. */
export async function setProductImage(
  db: Db,
  dataDir: string,
  id: number,
  bytes: Buffer,
): Promise<AdminProduct> {
  const previous = await productImagePath(db, id);
  if (previous === undefined) throw notFound('Product');
  const ext = sniffImageType(bytes);
  if (!ext) {
    throw new AppError(415, 'unsupported_media_type', 'The image must be a PNG, JPEG or WebP file');
  }
  const dir = uploadsDir(dataDir);
  await mkdir(dir, { recursive: true });
  const file = `product-${id}-${randomBytes(6).toString('hex')}.${ext}`;
  await writeFile(join(dir, file), bytes);
  await updateProductRow(db, id, { image_path: `/uploads/${file}` });
  if (previous?.startsWith('/uploads/')) {
    await unlink(join(dir, basename(previous))).catch(() => undefined);
  }
  return getAdminProduct(db, id);
}
