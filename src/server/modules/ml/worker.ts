import { parentPort } from 'node:worker_threads';
import { decidePromotion, type TrainResult, train } from './pipeline.ts';
import { type PredictionRecord, predictAll, toRecord } from './predict.ts';
import {
  type ChurnSpec,
  evaluate,
  type ModelMetrics,
  type ModelSpec,
  rowsAt,
  type SpendSpec,
} from './scoring.ts';
import { type PackedHistories, unpackHistories } from './packing.ts';

/**
 * The training thread: fitting and scoring are CPU-bound, so they run here and never on the
 * request thread. Messages in: a task; messages out: progress, then one result or error.
 */
export type WorkerTask =
  | {
      task: 'train';
      histories: PackedHistories;
      now: number;
      horizonDays: number;
      active: {
        churn: { id: number; spec: ModelSpec } | null;
        spend: { id: number; spec: ModelSpec } | null;
      };
    }
  | {
      task: 'score';
      histories: PackedHistories;
      now: number;
      horizonDays: number;
      churn: ChurnSpec;
      spend: SpendSpec;
    };

export interface TrainOutcome {
  result: TrainResult;
  decisions: Record<
    'churn' | 'spend',
    { promote: boolean; reason: string; activeMetrics: ModelMetrics | null }
  >;
  predictions: PredictionRecord[] | null;
}

export type WorkerMessage =
  | { type: 'progress'; fraction: number; message: string }
  | { type: 'done'; value: TrainOutcome | PredictionRecord[] }
  | { type: 'error'; message: string; notEnoughData: boolean };

export function runTask(task: WorkerTask, progress: (fraction: number, message: string) => void) {
  const histories = unpackHistories(task.histories);
  if (task.task === 'score') {
    return predictAll(histories, task.churn, task.spend, task.now, task.horizonDays).map(toRecord);
  }
  const result = train(histories, {
    now: task.now,
    horizonDays: task.horizonDays,
    onProgress: progress,
  });
  const holdout = rowsAt(histories, result.windows.holdoutCutoff, task.horizonDays);
  const decisions = {} as TrainOutcome['decisions'];
  for (const kind of ['churn', 'spend'] as const) {
    const active = task.active[kind];
    // The active version is re-scored on this run's holdout so both are judged on the same rows.
    const activeMetrics = active ? evaluate(active.spec, holdout, task.horizonDays) : null;
    decisions[kind] = {
      ...decidePromotion(kind, result[kind].metrics, result[kind].baselineMetrics, activeMetrics),
      activeMetrics,
    };
  }
  const churn = (decisions.churn.promote ? result.churn.spec : task.active.churn?.spec) as
    | ChurnSpec
    | undefined;
  const spend = (decisions.spend.promote ? result.spend.spec : task.active.spend?.spec) as
    | SpendSpec
    | undefined;
  progress(0.9, 'scoring customers');
  const predictions =
    churn && spend ? predictAll(histories, churn, spend, task.now, task.horizonDays).map(toRecord) : null;
  return { result, decisions, predictions } satisfies TrainOutcome;
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (task: WorkerTask) => {
    try {
      const value = runTask(task, (fraction, message) =>
        port.postMessage({ type: 'progress', fraction, message }),
      );
      port.postMessage({ type: 'done', value } satisfies WorkerMessage);
    } catch (error) {
      const e = error as Error;
      port.postMessage({
        type: 'error',
        message: e.message,
        notEnoughData: e.name === 'NotEnoughDataError' || e.constructor?.name === 'NotEnoughDataError',
      } satisfies WorkerMessage);
    }
  });
}
