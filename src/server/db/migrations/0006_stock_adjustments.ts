import type { Kysely } from 'kysely';
import { createTableFor } from './helpers.ts';

// Who changed a product's stock by hand, by how much and why: the admin's audit trail.
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTableFor(db, 'stock_adjustments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id').onDelete('cascade'))
    .addColumn('admin_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('delta', 'integer', (c) => c.notNull())
    .addColumn('stock_after', 'integer', (c) => c.notNull())
    .addColumn('reason', 'varchar(200)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('stock_adjustments_product_time')
    .on('stock_adjustments')
    .columns(['product_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('stock_adjustments').execute();
}
