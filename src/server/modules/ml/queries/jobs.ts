import type { Db } from '../../../db/database.ts';
import { inTransaction } from '../../../db/dialect.ts';
import type { MlJobsTable } from '../../../db/schema.ts';

/** Training jobs and the trainer lease (one row in ml_leases shared by every process). */

export const LEASE_MS = 60_000;

export const findJobRow = (db: Db, id: number) =>
  db.selectFrom('ml_jobs').selectAll().where('id', '=', id).executeTakeFirst();

export type JobRow = NonNullable<Awaited<ReturnType<typeof findJobRow>>>;

export const newestJobRows = (db: Db, limit: number) =>
  db.selectFrom('ml_jobs').selectAll().orderBy('id', 'desc').limit(limit).execute();

/**
 * Queues a job; an already queued one of the same kind (training, or rescoring after an
 * activation) is reused so triggers cannot pile up.
 */
export async function insertQueuedJob(db: Db, trigger: MlJobsTable['trigger']): Promise<number> {
  return inTransaction(db, async (trx) => {
    const queued = await trx
      .selectFrom('ml_jobs')
      .select('id')
      .where('status', '=', 'queued')
      .where('trigger', trigger === 'activation' ? '=' : '!=', 'activation')
      .orderBy('id')
      .executeTakeFirst();
    if (queued) return queued.id;
    const r = await trx
      .insertInto('ml_jobs')
      .values({
        trigger,
        status: 'queued',
        log: '',
        lease_owner: null,
        lease_expires_at: null,
        created_at: Date.now(),
        started_at: null,
        finished_at: null,
      })
      .executeTakeFirstOrThrow();
    return Number(r.insertId);
  });
}

/** One conditional UPDATE: true when this owner now holds the trainer lease (across processes). */
export async function acquireLease(db: Db, owner: string, ms = LEASE_MS): Promise<boolean> {
  const now = Date.now();
  const r = await db
    .updateTable('ml_leases')
    .set({ owner, expires_at: now + ms })
    .where('name', '=', 'trainer')
    .where((eb) => eb.or([eb('owner', 'is', null), eb('expires_at', '<', now), eb('owner', '=', owner)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function releaseLease(db: Db, owner: string): Promise<void> {
  await db
    .updateTable('ml_leases')
    .set({ owner: null, expires_at: 0 })
    .where('name', '=', 'trainer')
    .where('owner', '=', owner)
    .execute();
}

/** Called while holding the lease: a job still "running" past its lease lost its trainer. */
export async function failOrphanedJobs(db: Db): Promise<void> {
  await db
    .updateTable('ml_jobs')
    .set({ status: 'failed', finished_at: Date.now() })
    .where('status', '=', 'running')
    .where('lease_expires_at', '<', Date.now())
    .execute();
}

export async function oldestQueuedJob(db: Db) {
  return (
    (await db
      .selectFrom('ml_jobs')
      .select(['id', 'trigger'])
      .where('status', '=', 'queued')
      .orderBy('id')
      .executeTakeFirst()) ?? null
  );
}

/** queued → running for this owner; false when another trainer claimed it first. */
export async function claimJob(db: Db, id: number, owner: string): Promise<boolean> {
  const claimed = await db
    .updateTable('ml_jobs')
    .set({
      status: 'running',
      started_at: Date.now(),
      lease_owner: owner,
      lease_expires_at: Date.now() + LEASE_MS,
    })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

/** The job's log and progress so far; also extends the job's lease. */
export async function writeJobProgress(db: Db, id: number, log: string, progress: number): Promise<void> {
  await db
    .updateTable('ml_jobs')
    .set({ log, progress, lease_expires_at: Date.now() + LEASE_MS })
    .where('id', '=', id)
    .execute();
}

export async function finishJob(db: Db, id: number, modelIds: number[]): Promise<void> {
  await db
    .updateTable('ml_jobs')
    .set({ status: 'done', progress: 1, finished_at: Date.now(), model_ids: JSON.stringify(modelIds) })
    .where('id', '=', id)
    .execute();
}

export async function failJob(db: Db, id: number): Promise<void> {
  await db
    .updateTable('ml_jobs')
    .set({ status: 'failed', finished_at: Date.now() })
    .where('id', '=', id)
    .execute();
}

/** When the newest job was queued, or null before the first. */
export async function lastJobCreatedAt(db: Db): Promise<number | null> {
  const row = await db
    .selectFrom('ml_jobs')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}
