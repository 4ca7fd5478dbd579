import type { Db } from '../../../db/database.ts';
import { forUpdate, inTransaction, insertIfAbsent } from '../../../db/dialect.ts';

/** SQL for import-orders: set-based reads and batched inserts, never one query per customer. */

const IN_CHUNK = 500;

async function inChunks<T, R>(values: T[], read: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += IN_CHUNK) out.push(...(await read(values.slice(i, i + IN_CHUNK))));
  return out;
}

/** User ids of the customers already known by these external ids. */
export async function customersByExternalId(db: Db, externalIds: string[]): Promise<Map<string, number>> {
  const rows = await inChunks(externalIds, (chunk) =>
    db.selectFrom('users').select(['id', 'external_id']).where('external_id', 'in', chunk).execute(),
  );
  return new Map(rows.map((r) => [r.external_id as string, r.id]));
}

export interface NewImportedCustomer {
  username: string;
  externalId: string;
  createdAt: number;
}

/** Imported customers are real (not synthetic) accounts that cannot sign in until an admin resets them. */
const NO_LOGIN = '!imported-no-login';

export async function insertImportedCustomers(db: Db, customers: NewImportedCustomer[]): Promise<void> {
  // One transaction for all of them: one commit instead of one per statement.
  await inTransaction(db, async (trx) => {
    for (let i = 0; i < customers.length; i += IN_CHUNK) {
      await trx
        .insertInto('users')
        .values(
          customers.slice(i, i + IN_CHUNK).map((c) => ({
            username: c.username,
            email: `${c.username}@imported.invalid`,
            password_hash: NO_LOGIN,
            first_name: 'Imported',
            last_name: 'customer',
            phone: '+1 555 0100',
            country: 'Unknown',
            city: 'Unknown',
            role: 'customer' as const,
            external_id: c.externalId,
            created_at: c.createdAt,
          })),
        )
        .execute();
    }
  });
}

/** Catalog products by lower-cased name (products.name_key). */
export async function productsByNameKey(db: Db, keys: string[]): Promise<Map<string, number>> {
  const rows = await inChunks(keys, (chunk) =>
    db.selectFrom('products').select(['id', 'name_key']).where('name_key', 'in', chunk).execute(),
  );
  return new Map(rows.map((r) => [r.name_key, r.id]));
}

/** The category imported products that are not in the catalog are filed under. */
export async function importedCategoryId(db: Db): Promise<number> {
  await insertIfAbsent(db, 'categories', { name: 'Imported', slug: 'imported' }, ['slug']);
  const row = await db
    .selectFrom('categories')
    .select('id')
    .where('slug', '=', 'imported')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Products bought in the past but not sold any more: archived, no stock, never listed. */
export async function insertArchivedProducts(
  db: Db,
  categoryId: number,
  products: Array<{ name: string; priceCents: number }>,
): Promise<void> {
  const now = Date.now();
  for (let i = 0; i < products.length; i += IN_CHUNK) {
    await db
      .insertInto('products')
      .values(
        products.slice(i, i + IN_CHUNK).map((p) => ({
          name: p.name,
          description: 'Imported from the order history; no longer sold.',
          category_id: categoryId,
          price_cents: p.priceCents,
          stock: 0,
          archived: 1,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }
}

export interface ImportedOrder {
  userId: number;
  at: number;
  cents: number;
  key: string;
  line: { productId: number; quantity: number; unitPriceCents: number } | null;
}

/**
 * Inserts closed orders (and their lines) in one transaction, 500 rows per statement, skipping
 * keys already imported; returns how many were new. Ids are assigned here (max id read under a
 * lock, as the simulator does) so the lines can reference their orders without one round trip
 * per order.
 */
export async function insertImportedOrders(db: Db, batch: ImportedOrder[]): Promise<number> {
  return inTransaction(db, async (trx) => {
    // The keys these customers already hold, filtered here: a second IN list on the key would make
    // the (user_id, idempotency_key) index probe every pair of the two lists.
    const seen = new Set<string | null>();
    const users = [...new Set(batch.map((o) => o.userId))];
    for (let i = 0; i < users.length; i += IN_CHUNK) {
      const rows = await trx
        .selectFrom('orders')
        .select('idempotency_key')
        .where('user_id', 'in', users.slice(i, i + IN_CHUNK))
        .where('idempotency_key', 'is not', null)
        .execute();
      for (const r of rows) seen.add(r.idempotency_key);
    }
    const fresh = batch.filter((o) => !seen.has(o.key));
    if (fresh.length === 0) return 0;
    const max = await forUpdate(
      trx,
      trx.selectFrom('orders').select((eb) => eb.fn.max('id').as('m')),
    ).executeTakeFirst();
    let id = Number(max?.m ?? 0);
    const orders = [];
    const lines = [];
    for (const o of fresh) {
      id++;
      orders.push({
        id,
        user_id: o.userId,
        status: 'CLOSED' as const,
        created_at: o.at,
        closed_at: o.at,
        shipping_address: 'Imported order history',
        total_cents: o.cents,
        idempotency_key: o.key,
      });
      if (o.line) {
        lines.push({
          order_id: id,
          product_id: o.line.productId,
          quantity: o.line.quantity,
          unit_price_cents: o.line.unitPriceCents,
        });
      }
    }
    for (let i = 0; i < orders.length; i += IN_CHUNK) {
      await trx
        .insertInto('orders')
        .values(orders.slice(i, i + IN_CHUNK))
        .execute();
    }
    for (let i = 0; i < lines.length; i += IN_CHUNK) {
      await trx
        .insertInto('order_lines')
        .values(lines.slice(i, i + IN_CHUNK))
        .execute();
    }
    return fresh.length;
  });
}
