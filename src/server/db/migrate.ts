import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely/migration';
import type { Db } from './database.ts';
import * as core from './migrations/0001_core.ts';
import * as shop from './migrations/0002_shop.ts';
import * as assistant from './migrations/0003_assistant.ts';
import * as ml from './migrations/0004_ml.ts';
import * as listingIndexes from './migrations/0005_listing_indexes.ts';
import * as stockAdjustments from './migrations/0006_stock_adjustments.ts';
import * as productsUpdatedAt from './migrations/0007_products_updated_at.ts';
import * as rateLimits from './migrations/0008_rate_limits.ts';
import * as orderLifecycle from './migrations/0009_order_lifecycle.ts';
import * as mailOutbox from './migrations/0010_mail_outbox.ts';
import * as personalAccessTokens from './migrations/0011_personal_access_tokens.ts';
import * as customerExternalIds from './migrations/0013_customer_external_ids.ts';
import * as mlModelCards from './migrations/0014_ml_model_cards.ts';
import * as productImages from './migrations/0015_product_images.ts';
import * as productDeletions from './migrations/0016_product_deletions.ts';

// Listed explicitly (not read from a folder) so the order is reviewable and bundlers see them.
const migrations: Record<string, Migration> = {
  '0001_core': core,
  '0002_shop': shop,
  '0003_assistant': assistant,
  '0004_ml': ml,
  '0005_listing_indexes': listingIndexes,
  '0006_stock_adjustments': stockAdjustments,
  '0007_products_updated_at': productsUpdatedAt,
  '0008_rate_limits': rateLimits,
  '0009_order_lifecycle': orderLifecycle,
  '0010_mail_outbox': mailOutbox,
  '0011_personal_access_tokens': personalAccessTokens,
  '0013_customer_external_ids': customerExternalIds,
  '0014_ml_model_cards': mlModelCards,
  '0015_product_images': productImages,
  '0016_product_deletions': productDeletions,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; safe to call from several processes at once on MySQL. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return applied(await new Migrator({ db, provider }).migrateToLatest());
}

export interface MigrationState {
  name: string;
  /** When it ran on this database; null while pending. */
  appliedAt: Date | null;
}

/** Every migration in order, applied or pending. */
export async function migrationStatus(db: Db): Promise<MigrationState[]> {
  const infos = await new Migrator({ db, provider }).getMigrations();
  return infos.map((m) => ({ name: m.name, appliedAt: m.executedAt ?? null }));
}

/** Reverts the last applied migration through its `down`; returns its name, or null when none is applied. */
export async function migrateDownOne(db: Db): Promise<string | null> {
  return applied(await new Migrator({ db, provider }).migrateDown())[0] ?? null;
}

/** The names a migration run executed, or its failure as an Error naming the migration. */
function applied({ error, results }: MigrationResultSet): string[] {
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${(error as Error).message}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
