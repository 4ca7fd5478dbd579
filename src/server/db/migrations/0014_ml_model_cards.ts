import type { Kysely } from 'kysely';

// The model card of each version: its regime (supervised or likelihood-only) and why, and the
// rolling-origin comparison it was chosen by (docs/decisions/152 and 153).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('ml_models')
    // Nullable without a default: MySQL 8 accepts no literal default on TEXT; older versions have none.
    .addColumn('card', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ml_models').dropColumn('card').execute();
}
