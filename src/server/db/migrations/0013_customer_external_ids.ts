import { type Kysely, sql } from 'kysely';
import { dialectAdapterOf } from '../dialect-adapter.ts';
import { dropIndexFor } from './helpers.ts';

// A customer's id in the shop's own system, kept by `import-orders` so predictions and exports
// can be joined back to the shop's customers (docs/decisions/151-import-orders-as-shops-export.md).
// Compared exactly (binary on MySQL): "A1" and "a1" are different customers in a shop's export.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('external_id', dialectAdapterOf(db).exactText(100)).execute();
  await db.schema.createIndex('users_external_id').unique().on('users').column('external_id').execute();
  // Customers imported before this column existed were named c-<their id>: keep that id.
  await sql`update users set external_id = substr(username, 3)
    where password_hash = '!imported-no-login' and username like 'c-%'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropIndexFor(db, 'users_external_id', 'users').execute();
  await db.schema.alterTable('users').dropColumn('external_id').execute();
}
