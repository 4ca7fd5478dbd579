import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { dialectAdapterOf } from '../dialect-adapter.ts';
import { createTableFor, dropIndexFor } from './helpers.ts';

/**
 * After checkout: payment and fulfilment states, the shipment, the timeline of what happened to an
 * order, processed payment-provider events, and the key behind public order numbers
 * (docs/decisions/130-order-lifecycle.md, 131-public-order-numbers.md). `orders.user_id` becomes
 * nullable: a deleted customer's closed orders stay with no link to the person (decision 133).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await makeOrderOwnerNullable(db);

  // The defaults describe an order recorded after the fact (simulated history, imported orders):
  // paid and delivered. Checkout sets `awaiting` / `unfulfilled` itself.
  await db.schema
    .alterTable('orders')
    .addColumn('payment_provider', 'varchar(16)', (c) => c.notNull().defaultTo('manual'))
    .execute();
  await db.schema
    .alterTable('orders')
    .addColumn('payment_status', 'varchar(16)', (c) => c.notNull().defaultTo('paid'))
    .execute();
  await db.schema
    .alterTable('orders')
    .addColumn('fulfillment_status', 'varchar(16)', (c) => c.notNull().defaultTo('delivered'))
    .execute();
  for (const [name, type] of [
    ['payment_session_id', 'varchar(255)'],
    ['payment_intent_id', 'varchar(255)'],
    ['checkout_url', 'varchar(1000)'],
    ['carrier', 'varchar(100)'],
    ['tracking_number', 'varchar(100)'],
    ['cancel_reason', 'varchar(300)'],
    ['paid_at', 'bigint'],
    ['shipped_at', 'bigint'],
    ['delivered_at', 'bigint'],
    ['cancelled_at', 'bigint'],
  ] as const) {
    await db.schema.alterTable('orders').addColumn(name, type).execute();
  }
  // Real orders closed before this migration were never charged nor shipped by the shop.
  await sql`update orders set payment_status = 'awaiting', fulfillment_status = 'unfulfilled'
    where is_synthetic = 0`.execute(db);
  await sql`update orders set paid_at = closed_at, delivered_at = closed_at
    where is_synthetic = 1 and status = 'CLOSED'`.execute(db);
  await db.schema.createIndex('orders_payment_session').on('orders').column('payment_session_id').execute();
  await db.schema
    .createIndex('orders_states')
    .on('orders')
    .columns(['fulfillment_status', 'payment_status'])
    .execute();

  await createTableFor(db, 'order_timeline')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('type', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor', 'varchar(16)', (c) => c.notNull())
    .addColumn('admin_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('note', 'varchar(500)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('order_timeline_order')
    .on('order_timeline')
    .columns(['order_id', 'id'])
    .execute();

  // A provider event is applied once: its id is recorded in the transaction that applies it.
  await createTableFor(db, 'payment_events')
    .addColumn('provider', 'varchar(16)', (c) => c.notNull())
    .addColumn('event_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('type', 'varchar(64)', (c) => c.notNull())
    .addColumn('order_id', 'integer')
    .addColumn('outcome', 'varchar(64)', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('payment_events_pk', ['provider', 'event_id'])
    .execute();

  await createTableFor(db, 'app_secrets')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('value', 'varchar(255)', (c) => c.notNull())
    .execute();
  await sql`insert into app_secrets (name, value) values ('order_number_key', ${randomBytes(32).toString('base64url')})`.execute(
    db,
  );
}

/**
 * MySQL changes the column in place. SQLite cannot drop a NOT NULL, so orders is rebuilt, and
 * order_lines with it: renaming or dropping `orders` while foreign keys are on would rewrite or
 * cascade into order_lines. The new pair is built beside the old one, filled, and renamed over it.
 */
async function makeOrderOwnerNullable(db: Kysely<unknown>): Promise<void> {
  if (dialectAdapterOf(db).altersColumnNullability) {
    await sql`alter table orders modify user_id integer null`.execute(db);
    return;
  }
  await db.schema
    .createTable('orders_next')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
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
  await db.schema
    .createTable('order_lines_next')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('order_id', 'integer', (c) => c.notNull().references('orders_next.id').onDelete('cascade'))
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity >= 1`))
    .addColumn('unit_price_cents', 'integer')
    .addUniqueConstraint('order_lines_order_product', ['order_id', 'product_id'])
    .execute();
  const orderColumns = sql.raw(
    'id, user_id, status, created_at, closed_at, shipping_address, total_cents, idempotency_key, is_synthetic',
  );
  await sql`insert into orders_next (${orderColumns}) select ${orderColumns} from orders`.execute(db);
  const lineColumns = sql.raw('id, order_id, product_id, quantity, unit_price_cents');
  await sql`insert into order_lines_next (${lineColumns}) select ${lineColumns} from order_lines`.execute(db);
  await sql`drop table order_lines`.execute(db);
  await sql`drop table orders`.execute(db);
  // Renaming also points order_lines_next's foreign key at the new name.
  await sql`alter table orders_next rename to orders`.execute(db);
  await sql`alter table order_lines_next rename to order_lines`.execute(db);
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
  await db.schema.createIndex('order_lines_product').on('order_lines').column('product_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['app_secrets', 'payment_events', 'order_timeline']) await db.schema.dropTable(t).execute();
  await dropIndexFor(db, 'orders_states', 'orders').execute();
  await dropIndexFor(db, 'orders_payment_session', 'orders').execute();
  for (const c of [
    'payment_provider',
    'payment_status',
    'fulfillment_status',
    'payment_session_id',
    'payment_intent_id',
    'checkout_url',
    'carrier',
    'tracking_number',
    'cancel_reason',
    'paid_at',
    'shipped_at',
    'delivered_at',
    'cancelled_at',
  ]) {
    await db.schema.alterTable('orders').dropColumn(c).execute();
  }
  // Orders of deleted customers cannot go back under a NOT NULL owner; the column stays nullable.
}
