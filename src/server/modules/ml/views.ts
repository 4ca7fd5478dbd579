import type { MlJob, MlModel } from '../../../contract/ml.ts';
import type { JobRow } from './queries/jobs.ts';
import type { listModels } from './queries/models.ts';

/** Stored rows → the API's shapes (times as ISO strings, JSON columns parsed). */

export const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString();
export const isoNow = (ms: number) => new Date(Number(ms)).toISOString();

export type ModelRow = Awaited<ReturnType<typeof listModels>>[number];

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
    card: cardView(row.card),
  };
}

/** The stored card's instants as ISO strings; versions stored before cards existed have none. */
function cardView(card: string | null): MlModel['card'] {
  if (!card) return null;
  const c = JSON.parse(card);
  return {
    ...c,
    folds: c.folds.map((f: { cutoff: number; customers: number }) => ({ ...f, cutoff: isoNow(f.cutoff) })),
  };
}

export function jobView(row: JobRow): MlJob {
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
