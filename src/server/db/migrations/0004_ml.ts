import type { Kysely } from 'kysely';
import { createTableFor } from './helpers.ts';

// Model versions, per-customer predictions, training jobs and the trainer lease (decision 043).
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTableFor(db, 'ml_models')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('algorithm', 'varchar(40)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('features', 'text', (c) => c.notNull())
    .addColumn('feature_stats', 'text', (c) => c.notNull())
    .addColumn('metrics', 'text', (c) => c.notNull())
    .addColumn('baseline_metrics', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('cutoff', 'bigint', (c) => c.notNull())
    .addColumn('holdout_cutoff', 'bigint', (c) => c.notNull())
    .addColumn('data_end', 'bigint', (c) => c.notNull())
    .addColumn('horizon_days', 'integer', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('holdout_rows', 'integer', (c) => c.notNull())
    .addColumn('data_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('job_id', 'integer')
    .addColumn('trained_at', 'bigint', (c) => c.notNull())
    .addColumn('activated_at', 'bigint')
    .execute();
  await db.schema.createIndex('ml_models_kind_status').on('ml_models').columns(['kind', 'status']).execute();

  await createTableFor(db, 'ml_predictions')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('status', 'varchar(24)', (c) => c.notNull())
    .addColumn('reason', 'varchar(200)')
    .addColumn('churn_probability', 'double precision')
    .addColumn('expected_orders', 'double precision')
    .addColumn('predicted_spend_cents', 'bigint')
    .addColumn('expected_next_order_at', 'bigint')
    .addColumn('horizon_days', 'integer', (c) => c.notNull())
    .addColumn('churn_model_id', 'integer')
    .addColumn('spend_model_id', 'integer')
    .addColumn('features', 'text', (c) => c.notNull())
    .addColumn('explanation', 'text')
    .addColumn('computed_at', 'bigint', (c) => c.notNull())
    .execute();
  for (const column of ['churn_probability', 'expected_orders', 'predicted_spend_cents']) {
    await db.schema.createIndex(`ml_predictions_${column}`).on('ml_predictions').column(column).execute();
  }

  await createTableFor(db, 'ml_jobs')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('trigger', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('progress', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('log', 'text', (c) => c.notNull())
    .addColumn('model_ids', 'varchar(200)', (c) => c.notNull().defaultTo('[]'))
    .addColumn('lease_owner', 'varchar(64)')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('ml_jobs_status').on('ml_jobs').columns(['status', 'id']).execute();

  // One row per lease; a conditional UPDATE on it is the cross-process mutex for the trainer.
  await createTableFor(db, 'ml_leases')
    .addColumn('name', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('owner', 'varchar(64)')
    .addColumn('expires_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db
    .insertInto('ml_leases' as never)
    .values({ name: 'trainer', owner: null, expires_at: 0 } as never)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['ml_leases', 'ml_jobs', 'ml_predictions', 'ml_models'])
    await db.schema.dropTable(t).execute();
}
