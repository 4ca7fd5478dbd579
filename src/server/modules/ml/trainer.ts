import { randomUUID } from 'node:crypto';
import { BatchWhileBusy } from '../../batch-while-busy.ts';
import type { DomainEventBus } from '../../domain-events.ts';
import type { Db } from '../../db/database.ts';
import type { MlConfig } from './context.ts';
import { enqueueJob, runNextJob } from './jobs.ts';
import { closedOrdersSinceLastRun, nextScheduledAt } from './status.ts';
import { refreshCustomer } from './training.ts';

export interface Trainer {
  /** Look for queued work now instead of at the next poll. */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * The background trainer of one process: polls for queued jobs (any process may queue them),
 * queues the scheduled run when due, and runs jobs under the database lease so only one trainer
 * works at a time across processes.
 */
export function startTrainer(
  deps: { db: Db; config: MlConfig; log?: (message: string) => void },
  options: { pollMs?: number } = {},
): Trainer {
  const owner = randomUUID();
  const startedAt = Date.now();
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (stopped || running) return;
    running = (async () => {
      try {
        const due = (await nextScheduledAt(deps.db, deps.config)) ?? Infinity;
        const hours = deps.config.ML_RETRAIN_EVERY_HOURS;
        // A fresh install waits one interval after start-up instead of training at once.
        if (hours > 0 && Date.now() >= Math.max(due, startedAt + hours * 3_600_000)) {
          await enqueueJob(deps.db, 'schedule');
        }
        while (!stopped && (await runNextJob({ ...deps, owner })) !== null) {
          // keep draining the queue
        }
      } catch (error) {
        deps.log?.(`ML trainer: ${(error as Error).message}`);
      } finally {
        running = null;
      }
    })();
  };
  const timer = setInterval(tick, options.pollMs ?? 5_000);
  timer.unref();
  return {
    wake: () => setImmediate(tick),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * Checkout → that customer's prediction is refreshed, and after ML_RETRAIN_AFTER_ORDERS new closed
 * orders a training run is queued. Returns the unsubscribe function.
 */
export function subscribeToOrders(
  deps: { db: Db; config: MlConfig; events: DomainEventBus; log?: (message: string) => void },
  onQueued?: () => void,
): () => void {
  // Checkouts that close while the count runs share the next one (three statements each time).
  const retrainCheck = new BatchWhileBusy<null, void>(
    async (checkouts) => {
      if ((await closedOrdersSinceLastRun(deps.db)) >= deps.config.ML_RETRAIN_AFTER_ORDERS) {
        await enqueueJob(deps.db, 'orders');
        onQueued?.();
      }
      return checkouts.map(() => undefined);
    },
    { maxBatch: Number.POSITIVE_INFINITY, maxRunning: 1 },
  );
  const listener = ({ userId }: { userId: number }) => {
    void (async () => {
      try {
        await refreshCustomer(deps, userId);
        await retrainCheck.call(null);
      } catch (error) {
        deps.log?.(`ML refresh after checkout failed: ${(error as Error).message}`);
      }
    })();
  };
  deps.events.on('order.closed', listener);
  return () => deps.events.off('order.closed', listener);
}

/**
 * The ML module's background work in one process, started by the app (not by its routes): the
 * trainer when ML_WORKER is on, and the checkout subscription always. `trainer` is null when this
 * process does not train (another process will pick queued jobs up).
 */
export function startMlBackground(deps: {
  db: Db;
  config: MlConfig;
  events: DomainEventBus;
  log?: (message: string) => void;
}): { trainer: Trainer | null; stop: () => Promise<void> } {
  const trainer = deps.config.ML_WORKER ? startTrainer(deps) : null;
  const unsubscribe = subscribeToOrders(deps, () => trainer?.wake());
  return {
    trainer,
    stop: async () => {
      unsubscribe();
      await trainer?.stop();
    },
  };
}
