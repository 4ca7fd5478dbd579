import type { MlModel } from '../../../contract/ml.ts';
import type { Db } from '../../db/database.ts';
import type { MlKind } from '../../db/schema.ts';
import type { TrainerContext } from './context.ts';
import { DAY_MS, ENGAGEMENT_WINDOW_DAYS } from './features.ts';
import { packHistories } from './packing.ts';
import { windowsFor } from './pipeline.ts';
import { type PredictionRecord, predictOne, toRecord } from './predict.ts';
import type { ChurnSpec, SpendSpec } from './scoring.ts';
import { loadHistories } from './queries/histories.ts';
import { activeModels, listModels, specOf, storeModelVersion } from './queries/models.ts';
import { savePredictions } from './queries/predictions.ts';
import { modelView } from './views.ts';
import type { TrainOutcome } from './worker.ts';
import { runInWorker } from './worker-client.ts';

/** Training, storing versions, activation (rollback) and rescoring customers with the active pair. */

export async function getModels(db: Db): Promise<MlModel[]> {
  return (await listModels(db)).map(modelView);
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
    const id = await storeModelVersion(
      db,
      {
        kind,
        algorithm: candidate.spec.algorithm,
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
        card: JSON.stringify(outcome.result.card),
        job_id: options.jobId ?? null,
        trained_at: Date.now(),
      },
      decision.promote,
    );
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

async function activePair(db: Db) {
  const active = await activeModels(db);
  const churn = active.find((m) => m.kind === 'churn');
  const spend = active.find((m) => m.kind === 'spend');
  return churn && spend ? { churn, spend } : null;
}

/** Recomputes every customer's prediction with the active versions (in the worker thread). */
export async function rescoreAll(ctx: TrainerContext, now = Date.now()): Promise<number> {
  const { db, config } = ctx;
  const pair = await activePair(db);
  if (!pair) return 0;
  const histories = await loadHistories(db, { eventsSince: now - ENGAGEMENT_WINDOW_DAYS * DAY_MS });
  const { packed, transfer } = packHistories(histories);
  const predictions = await runInWorker<PredictionRecord[]>(
    {
      task: 'score',
      histories: packed,
      now,
      horizonDays: config.ML_HORIZON_DAYS,
      churn: specOf(pair.churn) as ChurnSpec,
      spend: specOf(pair.spend) as SpendSpec,
    },
    undefined,
    transfer,
  );
  await savePredictions(db, predictions, {
    churnModelId: pair.churn.id,
    spendModelId: pair.spend.id,
    horizonDays: config.ML_HORIZON_DAYS,
    computedAt: now,
  });
  return predictions.length;
}

/** After a checkout: one customer's prediction from the active versions (cheap closed forms). */
export async function refreshCustomer(ctx: TrainerContext, userId: number): Promise<void> {
  const { db, config } = ctx;
  const pair = await activePair(db);
  if (!pair) return;
  const now = Date.now();
  const [history] = await loadHistories(db, {
    userIds: [userId],
    eventsSince: now - ENGAGEMENT_WINDOW_DAYS * DAY_MS,
  });
  if (!history) return;
  const prediction = predictOne(
    history,
    specOf(pair.churn) as ChurnSpec,
    specOf(pair.spend) as SpendSpec,
    now,
    config.ML_HORIZON_DAYS,
  );
  await savePredictions(db, [toRecord(prediction)], {
    churnModelId: pair.churn.id,
    spendModelId: pair.spend.id,
    horizonDays: config.ML_HORIZON_DAYS,
    computedAt: now,
  });
}
