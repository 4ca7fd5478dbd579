import type { Kysely } from 'kysely';
import { createTableFor } from './helpers.ts';

// Rate-limit counters shared by every app process (docs/decisions/094-rate-limits-shared-in-the-database.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTableFor(db, 'rate_limits')
    .addColumn('bucket_key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('window_ends_at', 'bigint', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limits_window').on('rate_limits').column('window_ends_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
}
