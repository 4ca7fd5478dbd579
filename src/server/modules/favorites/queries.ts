import type { Db } from '../../db/database.ts';

/** Product ids the user marked, most recently marked first. */
export async function selectFavoriteIds(db: Db, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('favorites')
    .select('product_id')
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('product_id', 'desc')
    .execute();
  return rows.map((r) => Number(r.product_id));
}

/** Fails with a unique violation when the product is already a favorite (the primary key). */
export async function insertFavorite(db: Db, userId: number, productId: number): Promise<void> {
  await db
    .insertInto('favorites')
    .values({ user_id: userId, product_id: productId, created_at: Date.now() })
    .execute();
}

export async function deleteFavorite(db: Db, userId: number, productId: number): Promise<boolean> {
  const result = await db
    .deleteFrom('favorites')
    .where('user_id', '=', userId)
    .where('product_id', '=', productId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
