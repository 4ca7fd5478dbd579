import { randomUUID } from 'node:crypto';
import type { MlJob } from '../../../contract/ml.ts';
import { notFound } from '../../app-error.ts';
import type { Db } from '../../db/database.ts';
import type { MlJobsTable } from '../../db/schema.ts';
import { metrics as promMetrics } from '../../http/metrics.ts';
import type { TrainerContext } from './context.ts';
import {
  acquireLease,
  claimJob,
  failJob,
  failOrphanedJobs,
  findJobRow,
  finishJob,
  insertQueuedJob,
  LEASE_MS,
  newestJobRows,
  oldestQueuedJob,
  releaseLease,
  writeJobProgress,
} from './queries/jobs.ts';
import { rescoreAll, trainAndStore } from './training.ts';
import { jobView } from './views.ts';

/** Training jobs: queueing, reading, and running the next one under the trainer lease. */

export async function getJob(db: Db, id: number): Promise<MlJob> {
  const row = await findJobRow(db, id);
  if (!row) throw notFound('Job');
  return jobView(row);
}

/** The newest training jobs first, whatever started them (manual, schedule, new orders). */
export async function listJobs(db: Db, limit: number): Promise<MlJob[]> {
  return (await newestJobRows(db, limit)).map(jobView);
}

/** Queues a training run; an already queued run is reused so triggers cannot pile up. */
export const enqueueJob = (db: Db, trigger: MlJobsTable['trigger']): Promise<number> =>
  insertQueuedJob(db, trigger);

/**
 * Runs the oldest queued job if this process can take the trainer lease; returns its id, or null
 * when another trainer holds the lease or nothing is queued.
 */
export async function runNextJob(ctx: TrainerContext): Promise<number | null> {
  const { db } = ctx;
  const owner = ctx.owner ?? randomUUID();
  if (!(await acquireLease(db, owner))) return null;
  try {
    // Holding the lease means no other trainer is alive: a job still "running" lost its trainer.
    await failOrphanedJobs(db);
    const job = await oldestQueuedJob(db);
    if (job === null) return null;
    if (!(await claimJob(db, job.id, owner))) return null;
    await runJob(ctx, job.id, owner, job.trigger === 'activation' ? 'rescore' : 'train');
    return job.id;
  } finally {
    await releaseLease(db, owner);
  }
}

async function runJob(ctx: TrainerContext, jobId: number, owner: string, work: 'train' | 'rescore') {
  const { db } = ctx;
  const lines: string[] = [];
  let progress = 0;
  let writes = Promise.resolve();
  const note = (message: string, fraction?: number) => {
    lines.push(`${new Date().toISOString()} ${message}`);
    if (fraction !== undefined) progress = fraction;
    ctx.log?.(message);
    const log = `${lines.join('\n')}\n`;
    const p = progress;
    writes = writes
      .then(async () => {
        await writeJobProgress(db, jobId, log, p);
        await acquireLease(db, owner);
      })
      .catch(() => undefined);
  };
  const heartbeat = setInterval(() => note('still training'), LEASE_MS / 3);
  const stopTimer = promMetrics.trainingDuration.startTimer();
  try {
    let modelIds: number[] = [];
    if (work === 'rescore') {
      note('rescoring every customer with the active versions', 0.05);
      note(`done: ${await rescoreAll(ctx)} customer predictions recomputed`, 1);
    } else {
      modelIds = (await trainAndStore(ctx, { jobId, note })).modelIds;
      note(`done: ${modelIds.length} versions stored`, 1);
    }
    await writes;
    await finishJob(db, jobId, modelIds);
    promMetrics.trainingJobs.inc({ status: 'done' });
  } catch (error) {
    note(`failed: ${(error as Error).message}`);
    await writes;
    await failJob(db, jobId);
    promMetrics.trainingJobs.inc({ status: 'failed' });
  } finally {
    clearInterval(heartbeat);
    stopTimer();
  }
}
