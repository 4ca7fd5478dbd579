import type { Kysely } from 'kysely';
import { dialectAdapterOf } from '../dialect-adapter.ts';
import { createTableFor } from './helpers.ts';

// Uploaded product pictures in the database, so several instances serve each other's uploads
// (docs/decisions/123-image-store.md). `name` is the file name after /uploads/ in products.image_path
// (varchar(255)), compared exactly as a file name on disk would be.
export async function up(db: Kysely<unknown>): Promise<void> {
  const adapter = dialectAdapterOf(db);
  await createTableFor(db, 'product_images')
    .addColumn('name', adapter.exactText(255), (c) => c.primaryKey())
    .addColumn('content_type', 'varchar(64)', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('bytes', adapter.fileBytes(), (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('product_images').execute();
}
