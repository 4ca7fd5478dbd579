import { createConnection } from 'mysql2/promise';
import { describe } from 'vitest';
import { MYSQL_SERVER_URL, type ScratchDatabase, scratchDatabase } from '../../bench/support.ts';
import type { DialectName } from '../../src/server/db/database.ts';

/**
 * Every database test runs once per dialect, in the style of Kysely's own DIALECTS loop.
 * MySQL tests need a reachable server (CARTWISE_TEST_MYSQL_URL, default mysql://root@127.0.0.1:3306);
 * without one they skip loudly, and with CARTWISE_REQUIRE_MYSQL=1 (set by .ci/run) they fail.
 */
export const DIALECTS: DialectName[] = ['sqlite', 'mysql'];

let mysqlReachable: Promise<boolean> | undefined;
function isMysqlReachable(): Promise<boolean> {
  mysqlReachable ??= createConnection({ uri: MYSQL_SERVER_URL, connectTimeout: 3_000 })
    .then(async (c) => {
      await c.end();
      return true;
    })
    .catch(() => false);
  return mysqlReachable;
}

export const mysqlAvailable = await isMysqlReachable();
if (!mysqlAvailable) {
  if (process.env.CARTWISE_REQUIRE_MYSQL === '1') {
    throw new Error(`MySQL is required (CARTWISE_REQUIRE_MYSQL=1) but ${MYSQL_SERVER_URL} is unreachable`);
  }
  console.warn(`\n*** SKIPPING MySQL tests: no server at ${MYSQL_SERVER_URL} ***\n`);
}

export type TestDatabase = ScratchDatabase;

/** A fresh, migrated, uniquely named database (a temp file for SQLite, a new schema for MySQL). */
export function createTestDatabase(dialect: DialectName, options: { poolSize?: number } = {}) {
  return scratchDatabase(dialect, 'test', options);
}

/** `describe` once per dialect; the MySQL block is skipped (loudly) only when allowed. */
export function describeEachDialect(title: string, body: (dialect: DialectName) => void) {
  for (const dialect of DIALECTS) {
    const run = dialect === 'sqlite' || mysqlAvailable ? describe : describe.skip;
    run(`${title} [${dialect}]`, () => body(dialect));
  }
}
