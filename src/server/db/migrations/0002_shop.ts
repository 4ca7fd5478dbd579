import { type Kysely, sql } from 'kysely';
import { createTableFor } from './helpers.ts';

// Favorites, orders (the TEMP cart and CLOSED history) and the behaviour log.
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTableFor(db, 'favorites')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('favorites_pk', ['user_id', 'product_id'])
    .execute();

  await createTableFor(db, 'orders')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'varchar(8)', (c) => c.notNull().check(sql`status in ('TEMP', 'CLOSED')`))
    .addColumn('open_owner_id', 'integer', (c) =>
      c.generatedAlwaysAs(sql`case when status = 'TEMP' then user_id end`).stored(),
    )
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .addColumn('shipping_address', 'varchar(300)')
    .addColumn('total_cents', 'integer')
    .addColumn('idempotency_key', 'varchar(100)')
    .addColumn('is_synthetic', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // The database, not the application, guarantees at most one TEMP order per user.
  await db.schema
    .createIndex('orders_one_open_per_user')
    .unique()
    .on('orders')
    .column('open_owner_id')
    .execute();
  await db.schema
    .createIndex('orders_user_idempotency')
    .unique()
    .on('orders')
    .columns(['user_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('orders_user_status').on('orders').columns(['user_id', 'status']).execute();
  await db.schema.createIndex('orders_closed_at').on('orders').column('closed_at').execute();

  await createTableFor(db, 'order_lines')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity >= 1`))
    .addColumn('unit_price_cents', 'integer')
    .addUniqueConstraint('order_lines_order_product', ['order_id', 'product_id'])
    .execute();
  await db.schema.createIndex('order_lines_product').on('order_lines').column('product_id').execute();

  await createTableFor(db, 'events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('guest_id', 'varchar(64)')
    .addColumn('type', 'varchar(32)', (c) => c.notNull())
    .addColumn('product_id', 'integer')
    .addColumn('payload', 'text')
    .addColumn('is_synthetic', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_user_time').on('events').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('events_type_time').on('events').columns(['type', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['events', 'order_lines', 'orders', 'favorites']) await db.schema.dropTable(t).execute();
}
