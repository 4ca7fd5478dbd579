import { setTimeout as sleep } from 'node:timers/promises';
import type { Insertable } from 'kysely';
import type { Db, DbTransaction, Executor } from './database.ts';
import { dialectAdapterOf } from './dialect-adapter.ts';
import type { Database } from './schema.ts';

/**
 * Database helpers every module uses: driver-error classification, retried transactions, row locks,
 * LIKE escaping, insert-if-absent and byte-wise collation. Where MySQL and SQLite differ the helper
 * asks the database's dialect adapter (dialect-adapter.ts) rather than branching itself.
 */

interface DriverError {
  errno?: number;
  code?: string;
  errcode?: number;
  message?: string;
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as DriverError;
  if (e?.errno === 1062 || e?.code === 'ER_DUP_ENTRY') return true;
  // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555)
  return e?.errcode === 2067 || e?.errcode === 1555;
}

export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as DriverError;
  return e?.errno === 1452 || e?.errno === 1451 || e?.errcode === 787;
}

/** Deadlocks, lock-wait timeouts and a busy SQLite file are safe to retry from the start. */
function isRetryableConflict(error: unknown): boolean {
  const e = error as DriverError;
  if (e?.errno === 1213 || e?.errno === 1205) return true;
  return e?.errcode === 5 || e?.errcode === 6 || (e?.errcode ?? 0) % 256 === 5;
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_ACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'POOL_CLOSED',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as DriverError;
  if (e?.code && CONNECTION_ERROR_CODES.has(e.code)) return true;
  return /driver has already been destroyed|database is not open|Pool is closed/i.test(e?.message ?? '');
}

/**
 * Runs `work` in one transaction, retrying from the start on a deadlock or busy database.
 * `work` must be safe to run again: it sees a fresh transaction each attempt.
 *
 * On MySQL every connection runs at READ COMMITTED (database.ts): locking reads then take no gap
 * locks, so "lock my row by a unique key, insert it when missing" does not deadlock with other
 * users doing the same, and plain reads see the newest committed rows. SQLite's BEGIN IMMEDIATE
 * serialises writers anyway.
 */
export async function inTransaction<T>(
  db: Db,
  work: (trx: DbTransaction) => Promise<T>,
  attempts = 8,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (attempt >= attempts || !isRetryableConflict(error)) throw error;
      await sleep(Math.random() * 10 * attempt);
    }
  }
}

/** `FOR UPDATE` on MySQL; SQLite's BEGIN IMMEDIATE already holds the only write lock. */
export function forUpdate<QB extends { forUpdate(): QB }>(db: Executor, qb: QB): QB {
  return dialectAdapterOf(db).forUpdate(qb);
}

/** Escapes `%`, `_` and the escape character itself for `LIKE … ESCAPE '!'`. */
export function likeContains(term: string): string {
  return `%${term.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/**
 * Inserts a row unless one with the same unique key exists (`ON CONFLICT DO NOTHING` on SQLite, a
 * no-op `ON DUPLICATE KEY UPDATE` on MySQL — unlike `INSERT IGNORE`, other errors still raise).
 */
export async function insertIfAbsent<T extends keyof Database & string>(
  db: Executor,
  table: T,
  values: Insertable<Database[T]>,
  keyColumns: readonly (keyof Database[T] & string)[],
): Promise<void> {
  // biome-ignore lint/suspicious/noExplicitAny: the column set is checked by the signature above
  const insert = db.insertInto(table).values(values as any);
  await dialectAdapterOf(db).onConflictDoNothing(insert, keyColumns).execute();
}

/**
 * A text column compared byte by byte, as SQLite always does: MySQL's default collation would
 * sort accents and punctuation differently. Sort on a `lower(...)` column with this for the same
 * case-insensitive order on both dialects.
 */
export function binaryCollated(db: Executor, column: string) {
  return dialectAdapterOf(db).binaryCollated(column);
}
