import type { Kysely } from 'kysely';
import { dropIndexFor } from './helpers.ts';

// The shop listing held in memory catches up by reading only the products changed since its last
// look (docs/decisions/090-shop-listing-in-memory.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('products_updated_at').on('products').column('updated_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropIndexFor(db, 'products_updated_at', 'products').execute();
}
