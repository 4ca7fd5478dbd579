import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import type {
  CustomerPrediction,
  CustomerPredictionDetail,
  MlJob,
  MlModel,
  MlMonitoring,
  MlStatus,
} from '../../../contract/ml.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/dialect.ts';
import type { MlJobsTable, MlKind } from '../../db/schema.ts';
import { notFound } from '../../app-error.ts';
import { metrics as promMetrics } from '../../http/metrics.ts';
import { DAY_MS, ENGAGEMENT_WINDOW_DAYS, FEATURE_NAMES, featuresAt, labelsAfter } from './features.ts';
import {
  type ChurnSpec,
  MIN_TRAINING_CUSTOMERS,
  type PredictionRecord,
  predictOne,
  type SpendSpec,
  toRecord,
  windowsFor,
} from './pipeline.ts';
import { packHistories } from './packing.ts';
import { activeModels, findModel, listModels, loadHistories, savePredictions, specOf } from './queries.ts';
import type { TrainOutcome, WorkerMessage, WorkerTask } from './worker.ts';

export type MlConfig = Pick<
  Config,
  'ML_HORIZON_DAYS' | 'ML_RETRAIN_AFTER_ORDERS' | 'ML_RETRAIN_EVERY_HOURS' | 'ML_WORKER'
>;

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString();
const isoNow = (ms: number) => new Date(Number(ms)).toISOString();

// ——— worker thread ———

/** Runs one task in a fresh worker thread; the request thread only waits for the message. */
export function runInWorker<T>(
  task: WorkerTask,
  onProgress?: (fraction: number, message: string) => void,
  transfer: ArrayBuffer[] = [],
): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.ts', import.meta.url));
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress?.(m.fraction, m.message);
      else if (m.type === 'done') finish(() => resolve(m.value as T));
      else finish(() => reject(new TrainingError(m.message)));
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new Error(`training worker exited with code ${code}`))));
    worker.postMessage(task, transfer);
  });
}

export class TrainingError extends Error {}

// ——— views ———

type ModelRow = Awaited<ReturnType<typeof listModels>>[number];

export function modelView(row: ModelRow): MlModel {
  return {
    id: row.id,
    kind: row.kind,
    algorithm: row.algorithm,
    status: row.status,
    metrics: JSON.parse(row.metrics),
    baselineMetrics: JSON.parse(row.baseline_metrics),
    decision: row.decision,
    params: JSON.parse(row.params),
    features: JSON.parse(row.features),
    trainedAt: isoNow(row.trained_at),
    activatedAt: iso(row.activated_at),
    cutoff: isoNow(row.cutoff),
    holdoutCutoff: isoNow(row.holdout_cutoff),
    dataEnd: isoNow(row.data_end),
    horizonDays: row.horizon_days,
    rows: row.rows,
    holdoutRows: row.holdout_rows,
    dataHash: row.data_hash,
    jobId: row.job_id,
  };
}

function jobView(row: Awaited<ReturnType<typeof findJobRow>>): MlJob {
  if (!row) throw notFound('Job');
  return {
    id: row.id,
    status: row.status,
    trigger: row.trigger,
    progress: Number(row.progress),
    log: row.log,
    modelIds: JSON.parse(row.model_ids),
    createdAt: isoNow(row.created_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

const findJobRow = (db: Db, id: number) =>
  db.selectFrom('ml_jobs').selectAll().where('id', '=', id).executeTakeFirst();

export async function getJob(db: Db, id: number): Promise<MlJob> {
  return jobView(await findJobRow(db, id));
}

/** The newest training jobs first, whatever started them (manual, schedule, new orders). */
export async function listJobs(db: Db, limit: number): Promise<MlJob[]> {
  const rows = await db.selectFrom('ml_jobs').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map(jobView);
}

export async function getModels(db: Db): Promise<MlModel[]> {
  return (await listModels(db)).map(modelView);
}

// ——— jobs and the trainer lease ———

const LEASE_MS = 60_000;

/** Queues a training run; an already queued run is reused so triggers cannot pile up. */
export async function enqueueJob(db: Db, trigger: MlJobsTable['trigger']): Promise<number> {
  return inTransaction(db, async (trx) => {
    const queued = await trx
      .selectFrom('ml_jobs')
      .select('id')
      .where('status', '=', 'queued')
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

export interface TrainerContext {
  db: Db;
  config: MlConfig;
  /** Identifies this process in the lease; random per trainer. */
  owner?: string;
  log?: (message: string) => void;
}

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
    await db
      .updateTable('ml_jobs')
      .set({ status: 'failed', finished_at: Date.now() })
      .where('status', '=', 'running')
      .where('lease_expires_at', '<', Date.now())
      .execute();
    const job = await db
      .selectFrom('ml_jobs')
      .select('id')
      .where('status', '=', 'queued')
      .orderBy('id')
      .executeTakeFirst();
    if (!job) return null;
    const claimed = await db
      .updateTable('ml_jobs')
      .set({
        status: 'running',
        started_at: Date.now(),
        lease_owner: owner,
        lease_expires_at: Date.now() + LEASE_MS,
      })
      .where('id', '=', job.id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return null;
    await trainJob(ctx, job.id, owner);
    return job.id;
  } finally {
    await releaseLease(db, owner);
  }
}

async function trainJob(ctx: TrainerContext, jobId: number, owner: string) {
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
        await db
          .updateTable('ml_jobs')
          .set({ log, progress: p, lease_expires_at: Date.now() + LEASE_MS })
          .where('id', '=', jobId)
          .execute();
        await acquireLease(db, owner);
      })
      .catch(() => undefined);
  };
  const heartbeat = setInterval(() => note('still training'), LEASE_MS / 3);
  const stopTimer = promMetrics.trainingDuration.startTimer();
  try {
    const outcome = await trainAndStore(ctx, { jobId, note });
    note(`done: ${outcome.modelIds.length} versions stored`, 1);
    await writes;
    await db
      .updateTable('ml_jobs')
      .set({
        status: 'done',
        progress: 1,
        finished_at: Date.now(),
        model_ids: JSON.stringify(outcome.modelIds),
      })
      .where('id', '=', jobId)
      .execute();
    promMetrics.trainingJobs.inc({ status: 'done' });
  } catch (error) {
    note(`failed: ${(error as Error).message}`);
    await writes;
    await db
      .updateTable('ml_jobs')
      .set({ status: 'failed', finished_at: Date.now() })
      .where('id', '=', jobId)
      .execute();
    promMetrics.trainingJobs.inc({ status: 'failed' });
  } finally {
    clearInterval(heartbeat);
    stopTimer();
  }
}

/**
 * Loads the data, trains in the worker, stores both versions (active if they beat the active
 * ones on the same holdout, otherwise rejected) and rescored predictions. Used by jobs and the CLI.
 */
export async function trainAndStore(
  ctx: TrainerContext,
  options: { jobId?: number | null; note?: (message: string, fraction?: number) => void; now?: number } = {},
): Promise<{ modelIds: number[]; outcome: TrainOutcome }> {
  const { db, config } = ctx;
  const note = options.note ?? ((m: string) => ctx.log?.(m));
  const now = options.now ?? Date.now();
  const H = config.ML_HORIZON_DAYS;
  const windows = windowsFor(now, H);
  note('loading orders and events', 0.02);
  const histories = await loadHistories(db, {
    eventsSince: windows.trainCutoff - ENGAGEMENT_WINDOW_DAYS * DAY_MS,
  });
  const active = await activeModels(db);
  const activeOf = (kind: MlKind) => {
    const row = active.find((m) => m.kind === kind);
    return row ? { id: row.id, spec: specOf(row) } : null;
  };
  note(`${histories.length} customers loaded; training in a worker thread`, 0.05);
  const { packed, transfer } = packHistories(histories);
  const outcome = await runInWorker<TrainOutcome>(
    {
      task: 'train',
      histories: packed,
      now,
      horizonDays: H,
      active: { churn: activeOf('churn'), spend: activeOf('spend') },
    },
    (fraction, message) => note(message, 0.05 + fraction * 0.85),
    transfer,
  );
  const modelIds: number[] = [];
  const chosen: Record<MlKind, number | null> = {
    churn: activeOf('churn')?.id ?? null,
    spend: activeOf('spend')?.id ?? null,
  };
  for (const kind of ['churn', 'spend'] as const) {
    const candidate = outcome.result[kind];
    const decision = outcome.decisions[kind];
    const trainedAt = Date.now();
    const id = await inTransaction(db, async (trx) => {
      if (decision.promote) {
        await trx
          .updateTable('ml_models')
          .set({ status: 'retired' })
          .where('kind', '=', kind)
          .where('status', '=', 'active')
          .execute();
      }
      const r = await trx
        .insertInto('ml_models')
        .values({
          kind,
          algorithm: candidate.spec.algorithm,
          status: decision.promote ? 'active' : 'rejected',
          params: JSON.stringify(candidate.spec.params),
          features: JSON.stringify(candidate.features),
          feature_stats: JSON.stringify(candidate.featureStats),
          metrics: JSON.stringify(candidate.metrics),
          baseline_metrics: JSON.stringify(candidate.baselineMetrics),
          decision: decision.reason,
          cutoff: outcome.result.windows.trainCutoff,
          holdout_cutoff: outcome.result.windows.holdoutCutoff,
          data_end: now,
          horizon_days: H,
          rows: outcome.result.trainRows,
          holdout_rows: outcome.result.holdoutRows,
          data_hash: outcome.result.dataHash,
          job_id: options.jobId ?? null,
          trained_at: trainedAt,
          activated_at: decision.promote ? trainedAt : null,
        })
        .executeTakeFirstOrThrow();
      return Number(r.insertId);
    });
    modelIds.push(id);
    if (decision.promote) chosen[kind] = id;
    note(
      `${kind} model #${id} (${candidate.spec.algorithm}) ${decision.promote ? 'promoted' : 'rejected'}: ${decision.reason}`,
    );
  }
  if (outcome.predictions) {
    await savePredictions(db, outcome.predictions, {
      churnModelId: chosen.churn,
      spendModelId: chosen.spend,
      horizonDays: H,
      computedAt: now,
    });
    note(`${outcome.predictions.length} customer predictions stored`, 0.98);
  }
  return { modelIds, outcome };
}

// ——— activation (rollback) ———

export async function activateModel(ctx: TrainerContext, id: number): Promise<MlModel> {
  const { db } = ctx;
  const row = await findModel(db, id);
  if (!row) throw notFound('Model');
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('ml_models')
      .set({ status: 'retired' })
      .where('kind', '=', row.kind)
      .where('status', '=', 'active')
      .where('id', '!=', id)
      .execute();
    await trx
      .updateTable('ml_models')
      .set({ status: 'active', activated_at: Date.now() })
      .where('id', '=', id)
      .execute();
  });
  await rescoreAll(ctx);
  return modelView((await findModel(db, id))!);
}

/** Recomputes every customer's prediction with the active versions (in the worker thread). */
export async function rescoreAll(ctx: TrainerContext, now = Date.now()): Promise<number> {
  const { db, config } = ctx;
  const active = await activeModels(db);
  const churn = active.find((m) => m.kind === 'churn');
  const spend = active.find((m) => m.kind === 'spend');
  if (!churn || !spend) return 0;
  const histories = await loadHistories(db, { eventsSince: now - ENGAGEMENT_WINDOW_DAYS * DAY_MS });
  const { packed, transfer } = packHistories(histories);
  const predictions = await runInWorker<PredictionRecord[]>(
    {
      task: 'score',
      histories: packed,
      now,
      horizonDays: config.ML_HORIZON_DAYS,
      churn: specOf(churn) as ChurnSpec,
      spend: specOf(spend) as SpendSpec,
    },
    undefined,
    transfer,
  );
  await savePredictions(db, predictions, {
    churnModelId: churn.id,
    spendModelId: spend.id,
    horizonDays: config.ML_HORIZON_DAYS,
    computedAt: now,
  });
  return predictions.length;
}

/** After a checkout: one customer's prediction from the active versions (cheap closed forms). */
export async function refreshCustomer(ctx: TrainerContext, userId: number): Promise<void> {
  const { db, config } = ctx;
  const active = await activeModels(db);
  const churn = active.find((m) => m.kind === 'churn');
  const spend = active.find((m) => m.kind === 'spend');
  if (!churn || !spend) return;
  const now = Date.now();
  const [history] = await loadHistories(db, {
    userIds: [userId],
    eventsSince: now - ENGAGEMENT_WINDOW_DAYS * DAY_MS,
  });
  if (!history) return;
  const prediction = predictOne(
    history,
    specOf(churn) as ChurnSpec,
    specOf(spend) as SpendSpec,
    now,
    config.ML_HORIZON_DAYS,
  );
  await savePredictions(db, [toRecord(prediction)], {
    churnModelId: churn.id,
    spendModelId: spend.id,
    horizonDays: config.ML_HORIZON_DAYS,
    computedAt: now,
  });
}

// ——— status ———

/**
 * When training was last asked for: the newest job (queued or run), or the data end of the newest version
 * (versions trained outside a job, like the demo bootstrap, count too).
 */
async function lastRunAt(db: Db): Promise<number | null> {
  const job = await db
    .selectFrom('ml_jobs')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .executeTakeFirst();
  const model = await db
    .selectFrom('ml_models')
    .select((eb) => eb.fn.max('data_end').as('at'))
    .executeTakeFirst();
  const times = [job?.at, model?.at].filter((v) => v !== null && v !== undefined).map(Number);
  return times.length ? Math.max(...times) : null;
}

/** Closed orders since the last training run (the "N new orders" trigger counts these). */
export async function closedOrdersSinceLastRun(db: Db): Promise<number> {
  const last = await lastRunAt(db);
  let q = db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'CLOSED');
  if (last !== null) q = q.where('closed_at', '>', last);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export async function nextScheduledAt(db: Db, config: MlConfig): Promise<number | null> {
  if (!config.ML_RETRAIN_EVERY_HOURS) return null;
  const last = await lastRunAt(db);
  return last !== null ? last + config.ML_RETRAIN_EVERY_HOURS * 3_600_000 : Date.now();
}

/** Whether the data can support a training run, and why not in words an owner understands. */
export async function eligibility(db: Db, config: MlConfig, now = Date.now()) {
  const windows = windowsFor(now, config.ML_HORIZON_DAYS);
  const r = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.count<number>('user_id').distinct().as('n'))
    .where('status', '=', 'CLOSED')
    .where('closed_at', '<', windows.trainCutoff - 7 * DAY_MS)
    .executeTakeFirstOrThrow();
  const customers = Number(r.n);
  if (customers >= MIN_TRAINING_CUSTOMERS) return { eligible: true, reasonIfNot: null };
  return {
    eligible: false,
    reasonIfNot: `Training needs at least ${MIN_TRAINING_CUSTOMERS} customers who ordered before ${isoNow(windows.trainCutoff - 7 * DAY_MS).slice(0, 10)} (two horizons of ${config.ML_HORIZON_DAYS} days back); there are ${customers}.`,
  };
}

export async function getStatus(db: Db, config: MlConfig): Promise<MlStatus> {
  const count = async (table: 'users' | 'orders' | 'events', synthetic: boolean) => {
    let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
    if (table === 'users') q = q.where('role', '=', 'customer');
    if (table === 'orders') q = q.where('status', '=', 'CLOSED');
    if (synthetic) q = q.where('is_synthetic', '=', 1);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  const active = await activeModels(db);
  const last = await db
    .selectFrom('ml_models')
    .select('trained_at')
    .orderBy('trained_at', 'desc')
    .executeTakeFirst();
  return {
    activeModels: active.map((m) => ({
      id: m.id,
      kind: m.kind,
      algorithm: m.algorithm,
      trainedAt: isoNow(m.trained_at),
    })),
    lastTrainedAt: iso(last?.trained_at),
    nextScheduledAt: iso(await nextScheduledAt(db, config)),
    data: {
      customers: await count('users', false),
      closedOrders: await count('orders', false),
      events: await count('events', false),
      synthetic: {
        customers: await count('users', true),
        closedOrders: await count('orders', true),
        events: await count('events', true),
      },
    },
    newClosedOrdersSinceLastRun: await closedOrdersSinceLastRun(db),
    retrainAfterOrders: config.ML_RETRAIN_AFTER_ORDERS,
    horizonDays: config.ML_HORIZON_DAYS,
    ...(await eligibility(db, config)),
  };
}

// ——— customers ———

const SORT_COLUMNS = {
  churnProbability: 'p.churn_probability',
  expectedOrders: 'p.expected_orders',
  predictedSpendCents: 'p.predicted_spend_cents',
  expectedNextOrderAt: 'p.expected_next_order_at',
  horizonDays: 'p.horizon_days',
  computedAt: 'p.computed_at',
  userId: 'p.user_id',
} as const;

function predictionBase(db: Db) {
  return db.selectFrom('ml_predictions as p').innerJoin('users as u', 'u.id', 'p.user_id');
}

type PredictionRow = {
  user_id: number;
  username: string;
  is_synthetic: number;
  status: 'ok' | 'insufficient_data';
  reason: string | null;
  churn_probability: number | null;
  expected_orders: number | null;
  predicted_spend_cents: number | null;
  expected_next_order_at: number | null;
  horizon_days: number;
  computed_at: number;
};

function predictionView(r: PredictionRow): CustomerPrediction {
  return {
    userId: r.user_id,
    username: r.username,
    isSynthetic: Number(r.is_synthetic) === 1,
    status: r.status,
    reason: r.reason,
    churnProbability: r.churn_probability === null ? null : Number(r.churn_probability),
    expectedOrders: r.expected_orders === null ? null : Number(r.expected_orders),
    predictedSpendCents: r.predicted_spend_cents === null ? null : Number(r.predicted_spend_cents),
    expectedNextOrderAt: iso(r.expected_next_order_at),
    horizonDays: r.horizon_days,
    computedAt: isoNow(r.computed_at),
  };
}

const LIST_COLUMNS = [
  'p.user_id',
  'u.username',
  'u.is_synthetic',
  'p.status',
  'p.reason',
  'p.churn_probability',
  'p.expected_orders',
  'p.predicted_spend_cents',
  'p.expected_next_order_at',
  'p.horizon_days',
  'p.computed_at',
] as const;

export async function listCustomerPredictions(
  db: Db,
  query: { sort: string; status?: 'ok' | 'insufficient_data'; page: number; pageSize: number },
) {
  const descending = query.sort.startsWith('-');
  const column = SORT_COLUMNS[query.sort.replace(/^-/, '') as keyof typeof SORT_COLUMNS];
  let base = predictionBase(db);
  if (query.status) base = base.where('p.status', '=', query.status);
  const total = Number(
    (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const rows = await base
    .select(LIST_COLUMNS)
    // "Not enough data" rows have no numbers: they sort last in both directions.
    .orderBy(sql`case when ${sql.ref(column)} is null then 1 else 0 end`)
    .orderBy(sql.ref(column), descending ? 'desc' : 'asc')
    .orderBy('p.user_id')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return {
    items: rows.map((r) => predictionView(r as PredictionRow)),
    page: query.page,
    pageSize: query.pageSize,
    total,
  };
}

export async function getCustomerPrediction(
  db: Db,
  config: MlConfig,
  userId: number,
): Promise<CustomerPredictionDetail> {
  const row = await predictionBase(db)
    .select([...LIST_COLUMNS, 'p.features', 'p.explanation', 'p.churn_model_id', 'p.spend_model_id'])
    .where('p.user_id', '=', userId)
    .executeTakeFirst();
  if (row) {
    return {
      ...predictionView(row as PredictionRow),
      churnModelId: row.churn_model_id,
      spendModelId: row.spend_model_id,
      features: JSON.parse(row.features),
      explanation: row.explanation ? JSON.parse(row.explanation) : null,
    };
  }
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'is_synthetic'])
    .where('id', '=', userId)
    .where('role', '=', 'customer')
    .executeTakeFirst();
  if (!user) throw notFound('Customer');
  const [history] = await loadHistories(db, {
    userIds: [userId],
    eventsSince: Date.now() - ENGAGEMENT_WINDOW_DAYS * DAY_MS,
  });
  const f = featuresAt(history, Date.now());
  return {
    userId: user.id,
    username: user.username,
    isSynthetic: Number(user.is_synthetic) === 1,
    status: 'insufficient_data',
    reason: f.reason ?? 'no active model has scored this customer yet',
    churnProbability: null,
    expectedOrders: null,
    predictedSpendCents: null,
    expectedNextOrderAt: null,
    horizonDays: config.ML_HORIZON_DAYS,
    computedAt: isoNow(Date.now()),
    churnModelId: null,
    spendModelId: null,
    features: { ...f.features },
    explanation: null,
  };
}

// ——— monitoring ———

/** One kind's versions, oldest first: what identifies each, plus the metrics `pick` chooses. */
function versionsOf<T>(
  models: ModelRow[],
  kind: ModelRow['kind'],
  // biome-ignore lint/suspicious/noExplicitAny: stored metrics JSON differs per model kind
  pick: (metrics: any, baseline: any) => T,
) {
  return models
    .filter((m) => m.kind === kind)
    .map((m) => ({
      modelId: m.id,
      trainedAt: isoNow(m.trained_at),
      status: m.status,
      algorithm: m.algorithm,
      ...pick(JSON.parse(m.metrics), JSON.parse(m.baseline_metrics)),
    }));
}

export async function getMonitoring(db: Db): Promise<MlMonitoring> {
  const models = (await listModels(db)).slice().reverse();
  const churn = versionsOf(models, 'churn', (metrics, base) => ({
    rocAuc: metrics.rocAuc,
    prAuc: metrics.prAuc,
    brier: metrics.brier,
    baselineBrier: base.brier,
    customers: metrics.customers,
  }));
  const spend = versionsOf(models, 'spend', (metrics, base) => ({
    ordersMae: metrics.orders.mae,
    spendMaeCents: metrics.spendCents.mae,
    baselineOrdersMae: base.orders.mae,
    baselineSpendMaeCents: base.spendCents.mae,
    spendBias: metrics.spendCents.bias,
    customers: metrics.orders.customers,
  }));

  const predictions = await db
    .selectFrom('ml_predictions')
    .select(['status', 'churn_probability', 'predicted_spend_cents', 'features'])
    .execute();
  const ok = predictions.filter((p) => p.status === 'ok');
  const churnHistogram = Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, count: 0 }));
  for (const p of ok) churnHistogram[Math.min(9, Math.floor(Number(p.churn_probability) * 10))].count++;
  const spends = ok.map((p) => Number(p.predicted_spend_cents));
  const maxSpend = Math.max(1, ...spends);
  const width = Math.ceil(maxSpend / 10);
  const spendHistogram = Array.from({ length: 10 }, (_, i) => ({
    from: i * width,
    to: (i + 1) * width,
    count: 0,
  }));
  for (const s of spends) spendHistogram[Math.min(9, Math.floor(s / width))].count++;

  // Data volume per month for the last 24 months, bucketed in code (portable across dialects).
  const since = Date.now() - 730 * DAY_MS;
  const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);
  const volume = new Map<
    string,
    { month: string; closedOrders: number; revenueCents: number; events: number }
  >();
  const bucket = (month: string) => {
    const existing = volume.get(month);
    if (existing) return existing;
    const created = { month, closedOrders: 0, revenueCents: 0, events: 0 };
    volume.set(month, created);
    return created;
  };
  const orders = await db
    .selectFrom('orders')
    .select(['closed_at', 'total_cents'])
    .where('status', '=', 'CLOSED')
    .where('closed_at', '>=', since)
    .execute();
  for (const o of orders) {
    const b = bucket(monthOf(Number(o.closed_at)));
    b.closedOrders++;
    b.revenueCents += Number(o.total_cents ?? 0);
  }
  // Events: one count per day from SQL would need dialect-specific date math; a month-step loop of
  // indexed range counts stays portable and cheap.
  for (
    let m = new Date(since);
    m.getTime() < Date.now();
    m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))
  ) {
    const from = Date.UTC(m.getUTCFullYear(), m.getUTCMonth(), 1);
    const to = Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1);
    const r = await db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .executeTakeFirstOrThrow();
    if (Number(r.n) > 0) bucket(monthOf(from)).events = Number(r.n);
  }

  const reference = models.filter((m) => m.kind === 'churn' && m.status === 'active').at(-1);
  const featureDrift: MlMonitoring['featureDrift'] = {
    referenceModelId: reference?.id ?? null,
    features: [],
  };
  if (reference && ok.length > 0) {
    const stats = JSON.parse(reference.feature_stats) as Record<string, { mean: number; std: number }>;
    const current = ok.map((p) => JSON.parse(p.features) as Record<string, number>);
    for (const feature of FEATURE_NAMES) {
      const values = current.map((c) => c[feature] ?? 0);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
      const ref = stats[feature] ?? { mean: 0, std: 0 };
      featureDrift.features.push({
        feature,
        trainingMean: ref.mean,
        trainingStd: ref.std,
        currentMean: mean,
        currentStd: std,
        shift: ref.std > 0 ? (mean - ref.mean) / ref.std : 0,
      });
    }
  }

  return {
    metricHistory: { churn, spend },
    predictionDistribution: {
      total: predictions.length,
      insufficientData: predictions.length - ok.length,
      churnProbability: churnHistogram,
      predictedSpendCents: spendHistogram,
    },
    dataVolume: [...volume.values()].sort((a, b) => a.month.localeCompare(b.month)),
    featureDrift,
  };
}

// ——— dataset ———

const dollars = (cents: number) => (cents / 100).toFixed(2);

/**
 * The training dataset as CSV: one row per customer and cutoff (the training window and the
 * holdout), features before the cutoff and labels after it. Money in dollars (decision 047).
 */
export async function datasetCsv(db: Db, config: MlConfig, now = Date.now()): Promise<string> {
  const H = config.ML_HORIZON_DAYS;
  const w = windowsFor(now, H);
  const histories = await loadHistories(db, { eventsSince: w.trainCutoff - ENGAGEMENT_WINDOW_DAYS * DAY_MS });
  const header = [
    'customer_id',
    'window',
    'cutoff',
    'horizon_days',
    ...FEATURE_NAMES.map((f) => (f === 'monetaryCents' ? 'monetary' : snake(f))),
    'churned',
    'orders',
    'spend',
  ];
  const lines = [header.join(',')];
  for (const [window, cutoff] of [
    ['train', w.trainCutoff],
    ['holdout', w.holdoutCutoff],
  ] as const) {
    for (const h of histories) {
      const f = featuresAt(h, cutoff);
      if (!f.eligible) continue;
      const y = labelsAfter(h, cutoff, H);
      const values = FEATURE_NAMES.map((name) =>
        name === 'monetaryCents' ? dollars(f.features[name]) : round4(f.features[name]),
      );
      lines.push(
        [h.userId, window, isoNow(cutoff), H, ...values, y.churned, y.orders, dollars(y.spendCents)].join(
          ',',
        ),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const round4 = (v: number) => String(Math.round(v * 10_000) / 10_000);
