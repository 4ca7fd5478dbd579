import { sql } from 'kysely';
import { type Db, dialectOf } from './database.ts';

/**
 * SQLite plans joins from statistics it only gathers when asked; without them a search over
 * product names may be driven from categories instead of the name index (10× slower at 10,000
 * products). `PRAGMA optimize` analyses the tables whose size changed a lot, cheaply
 * (https://sqlite.org/pragma.html#pragma_optimize). MySQL keeps its statistics itself.
 */
export async function refreshPlannerStatistics(db: Db): Promise<void> {
  if (dialectOf(db) === 'sqlite') await sql`pragma optimize = 0x10002`.execute(db);
}

/** At start-up and then hourly, as SQLite recommends for long-lived connections. */
export function keepPlannerStatisticsFresh(db: Db, onError: (error: unknown) => void): void {
  if (dialectOf(db) !== 'sqlite') return;
  const run = () => refreshPlannerStatistics(db).catch(onError);
  void run();
  setInterval(run, 3_600_000).unref();
}
