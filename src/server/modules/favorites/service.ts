import type { Product } from '../../../contract/catalog.ts';
import type { Db } from '../../db/database.ts';
import { isForeignKeyViolation, isUniqueViolation } from '../../db/dialect.ts';
import type { EventType } from '../../db/schema.ts';
import { notFound } from '../../app-error.ts';
import { getProduct, getProductsByIds } from '../catalog/service.ts';
import type { BehaviourLog } from '../events/service.ts';
import { deleteFavorite, insertFavorite, selectFavoriteIds } from './queries.ts';

export interface FavoritesContext {
  db: Db;
  behaviour: BehaviourLog;
}

/** The user's favorites as full products, most recently added first; archived products drop out. */
export async function listFavorites(ctx: Pick<FavoritesContext, 'db'>, userId: number): Promise<Product[]> {
  const ids = await selectFavoriteIds(ctx.db, userId);
  const products = new Map((await getProductsByIds(ctx.db, ids, userId)).map((p) => [p.id, p]));
  return ids.flatMap((id) => products.get(id) ?? []);
}

/**
 * Marks a product as a favorite. Idempotent: the primary key (user, product) keeps it once, and a
 * repeat changes nothing and records no event.
 */
export async function addFavorite(ctx: FavoritesContext, userId: number, productId: number): Promise<void> {
  if (!(await getProduct(ctx.db, productId))) throw notFound('Product');
  try {
    await insertFavorite(ctx.db, userId, productId);
  } catch (error) {
    if (isUniqueViolation(error)) return;
    // The product was deleted between the check and the insert.
    if (isForeignKeyViolation(error)) throw notFound('Product');
    throw error;
  }
  await record(ctx, userId, 'favorite_add', productId);
}

/** Unmarks a product; idempotent, also for products that are not (or no longer) favorites. */
export async function removeFavorite(
  ctx: FavoritesContext,
  userId: number,
  productId: number,
): Promise<void> {
  if (await deleteFavorite(ctx.db, userId, productId))
    await record(ctx, userId, 'favorite_remove', productId);
}

function record(ctx: FavoritesContext, userId: number, type: EventType, productId: number) {
  return ctx.behaviour.record({ userId, guestId: null }, type, { productId });
}
