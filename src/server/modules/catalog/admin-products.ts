import {
  type AdminProduct,
  type CreateProductInput,
  createProductSchema,
  MAX_STOCK,
  type StockAdjustmentEntry,
  type UpdateProductInput,
  updateProductSchema,
} from '../../../contract/catalog.ts';
import { AppError, notFound } from '../../app-error.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction, isForeignKeyViolation, isUniqueViolation } from '../../db/dialect.ts';
import { type Paged, type ProductListOptions, paging, toAdminProduct } from './product-views.ts';
import {
  adjustStockRow,
  categoryExists,
  countProducts,
  currentStock,
  deleteProductRow,
  insertProduct,
  insertStockAdjustment,
  isProductInAnyOrder,
  type ProductValues,
  productImagePath,
  selectProducts,
  selectStockAdjustments,
  updateProductRow,
} from './queries.ts';

/**
 * The console's product reads and writes. Every write tells this process's shop listing (and the
 * search index kept with it) itself, whoever calls it: a route, the CLI or a test.
 */

/** What a catalog write needs: the database, and the in-memory listing to tell when there is one. */
export interface CatalogContext {
  db: Db;
  /** Absent in processes that serve no shop (the CLI); servers then catch up within their max age. */
  listing?: { invalidate(): void };
}

/** Read from the database itself, not the shop listing: the console must show its own writes. */
export async function listAdminProducts(db: Db, options: ProductListOptions): Promise<Paged<AdminProduct>> {
  const { sort, page, pageSize, filter } = paging({ archived: 'all', ...options });
  const [rows, total] = await Promise.all([
    selectProducts(db, filter, { sort, limit: pageSize, offset: (page - 1) * pageSize }),
    countProducts(db, filter),
  ]);
  return { items: rows.map(toAdminProduct), page, pageSize, total };
}

export async function getAdminProduct(db: Db, id: number): Promise<AdminProduct> {
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

/** Runs a write, maps constraint violations to the API's errors, and tells the listing after it. */
async function writeProduct<T>(ctx: CatalogContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    if (isForeignKeyViolation(error)) throw unknownCategory();
    throw error;
  } finally {
    // Also after a failure: a statement may have committed before a later one failed.
    ctx.listing?.invalidate();
  }
}

export async function createProduct(ctx: CatalogContext, input: CreateProductInput): Promise<AdminProduct> {
  const { db } = ctx;
  const data = createProductSchema.parse(input);
  if (!(await categoryExists(db, data.categoryId))) throw unknownCategory();
  const id = await writeProduct(ctx, () =>
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

export async function updateProduct(
  ctx: CatalogContext,
  id: number,
  input: UpdateProductInput,
): Promise<AdminProduct> {
  const { db } = ctx;
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
  const found = await writeProduct(ctx, () => updateProductRow(db, id, values));
  if (!found) throw notFound('Product');
  return getAdminProduct(db, id);
}

export type Removal = 'deleted' | 'archived';

/**
 * Deletes a product nobody ever ordered; one that appears in an order (open or closed) is archived
 * instead: hidden from the shop, kept in order history.
 */
export async function removeProduct(ctx: CatalogContext, id: number): Promise<Removal> {
  const { db } = ctx;
  if ((await productImagePath(db, id)) === undefined) throw notFound('Product');
  return writeProduct(ctx, async () => {
    const archive = async () => {
      await updateProductRow(db, id, { archived: 1 });
      return 'archived' as const;
    };
    if (await isProductInAnyOrder(db, id)) return archive();
    try {
      await deleteProductRow(db, id);
      return 'deleted' as const;
    } catch (error) {
      // A cart took the product between the check and the delete.
      if (isForeignKeyViolation(error)) return archive();
      throw error;
    }
  });
}

/** Changes stock atomically and records who did it and why in the same transaction. */
export async function adjustStock(
  ctx: CatalogContext,
  id: number,
  delta: number,
  by: { adminUserId: number; reason?: string },
): Promise<AdminProduct> {
  const { db } = ctx;
  const adjusted = await writeProduct(ctx, () =>
    inTransaction(db, async (trx) => {
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
    }),
  );
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
