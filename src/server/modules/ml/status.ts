import type { MlStatus } from '../../../contract/ml.ts';
import type { Db } from '../../db/database.ts';
import type { MlConfig } from './context.ts';
import { DAY_MS } from './features.ts';
import { MIN_TRAINING_CUSTOMERS, windowsFor } from './pipeline.ts';
import { countClosedOrders, countCustomersOrderedBefore, countData } from './queries/counts.ts';
import { lastJobCreatedAt } from './queries/jobs.ts';
import { activeModels, lastModelDataEnd, lastTrainedAt } from './queries/models.ts';
import { iso, isoNow } from './views.ts';

/**
 * When training was last asked for: the newest job (queued or run), or the data end of the newest version
 * (versions trained outside a job, like the demo bootstrap, count too).
 */
async function lastRunAt(db: Db): Promise<number | null> {
  const times = [await lastJobCreatedAt(db), await lastModelDataEnd(db)].filter((v) => v !== null);
  return times.length ? Math.max(...times) : null;
}

/** Closed orders since the last training run (the "N new orders" trigger counts these). */
export async function closedOrdersSinceLastRun(db: Db): Promise<number> {
  return countClosedOrders(db, await lastRunAt(db));
}

export async function nextScheduledAt(db: Db, config: MlConfig): Promise<number | null> {
  if (!config.ML_RETRAIN_EVERY_HOURS) return null;
  const last = await lastRunAt(db);
  return last !== null ? last + config.ML_RETRAIN_EVERY_HOURS * 3_600_000 : Date.now();
}

/** Whether the data can support a training run, and why not in words an owner understands. */
export async function eligibility(db: Db, config: MlConfig, now = Date.now()) {
  // One horizon back is enough to fit BG/NBD + Gamma-Gamma and test them out of time; supervised
  // models need two (decision 152), and the run decides that itself.
  const before = windowsFor(now, config.ML_HORIZON_DAYS).holdoutCutoff - 7 * DAY_MS;
  const customers = await countCustomersOrderedBefore(db, before);
  if (customers >= MIN_TRAINING_CUSTOMERS) return { eligible: true, reasonIfNot: null };
  return {
    eligible: false,
    reasonIfNot: `Training needs at least ${MIN_TRAINING_CUSTOMERS} customers who ordered before ${isoNow(before).slice(0, 10)} (one horizon of ${config.ML_HORIZON_DAYS} days back, so the model can be tested on what happened since); there are ${customers}.`,
  };
}

export async function getStatus(db: Db, config: MlConfig): Promise<MlStatus> {
  const active = await activeModels(db);
  return {
    activeModels: active.map((m) => ({
      id: m.id,
      kind: m.kind,
      algorithm: m.algorithm,
      trainedAt: isoNow(m.trained_at),
    })),
    lastTrainedAt: iso(await lastTrainedAt(db)),
    nextScheduledAt: iso(await nextScheduledAt(db, config)),
    data: {
      customers: await countData(db, 'users', false),
      closedOrders: await countData(db, 'orders', false),
      events: await countData(db, 'events', false),
      synthetic: {
        customers: await countData(db, 'users', true),
        closedOrders: await countData(db, 'orders', true),
        events: await countData(db, 'events', true),
      },
    },
    newClosedOrdersSinceLastRun: await closedOrdersSinceLastRun(db),
    retrainAfterOrders: config.ML_RETRAIN_AFTER_ORDERS,
    horizonDays: config.ML_HORIZON_DAYS,
    ...(await eligibility(db, config)),
  };
}
