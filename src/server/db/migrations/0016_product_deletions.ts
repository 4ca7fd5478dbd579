import type { Kysely } from 'kysely';
import { createTableFor } from './helpers.ts';

// A row per product deleted through the app, so that every instance's in-memory listing drops it
// within its maximum age by reading what was deleted since its last read, instead of counting the
// whole catalog on every refresh (docs/decisions/182-product-deletions-recorded.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTableFor(db, 'product_deletions')
    .addColumn('product_id', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('product_deletions_deleted_at')
    .on('product_deletions')
    .column('deleted_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('product_deletions').execute();
}
