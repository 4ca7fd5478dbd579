import type { Db } from './database.ts';
import { dialectAdapterOf } from './dialect-adapter.ts';

/**
 * Refreshes the query planner's statistics where the database only gathers them when asked (SQLite;
 * see its adapter in dialect-adapter.ts); a no-op where it keeps them itself (MySQL).
 */
export async function refreshPlannerStatistics(db: Db): Promise<void> {
  await dialectAdapterOf(db).refreshPlannerStatistics?.(db);
}

/** At start-up and then hourly, as SQLite recommends for long-lived connections. */
export function keepPlannerStatisticsFresh(db: Db, onError: (error: unknown) => void): void {
  if (!dialectAdapterOf(db).refreshPlannerStatistics) return;
  const run = () => refreshPlannerStatistics(db).catch(onError);
  void run();
  setInterval(run, 3_600_000).unref();
}
