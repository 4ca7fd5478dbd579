import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { describe } from 'vitest';
import { createDb, type Db, type DialectName } from '../../src/server/db/database.ts';
import { migrateToLatest } from '../../src/server/db/migrate.ts';

/**
 * Every database test runs once per dialect, in the style of Kysely's own DIALECTS loop.
 * MySQL tests need a reachable server (CARTWISE_TEST_MYSQL_URL, default mysql://root@127.0.0.1:3306);
 * without one they skip loudly, and with CARTWISE_REQUIRE_MYSQL=1 (set by .ci/run) they fail.
 */
export const DIALECTS: DialectName[] = ['sqlite', 'mysql'];

export const MYSQL_SERVER_URL = (
  process.env.CARTWISE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306'
).replace(/\/+$/, '');

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

export interface TestDatabase {
  dialect: DialectName;
  url: string;
  db: Db;
  /** Destroys the connection and deletes the database. */
  drop(): Promise<void>;
}

/** A fresh, migrated, uniquely named database (a temp file for SQLite, a new schema for MySQL). */
export async function createTestDatabase(dialect: DialectName, options: { poolSize?: number } = {}) {
  const name = `cartwise_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  if (dialect === 'sqlite') {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'cartwise-'));
    const url = `sqlite:${join(dir, `${name}.sqlite`)}`;
    const db = createDb(url);
    await migrateToLatest(db);
    return {
      dialect,
      url,
      db,
      drop: async () => {
        await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    } satisfies TestDatabase;
  }
  const admin = await createConnection({ uri: MYSQL_SERVER_URL });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = `${MYSQL_SERVER_URL}/${name}`;
  const db = createDb(url, options);
  await migrateToLatest(db);
  return {
    dialect,
    url,
    db,
    drop: async () => {
      await db.destroy();
      const c = await createConnection({ uri: MYSQL_SERVER_URL });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  } satisfies TestDatabase;
}

/** `describe` once per dialect; the MySQL block is skipped (loudly) only when allowed. */
export function describeEachDialect(title: string, body: (dialect: DialectName) => void) {
  for (const dialect of DIALECTS) {
    const run = dialect === 'sqlite' || mysqlAvailable ? describe : describe.skip;
    run(`${title} [${dialect}]`, () => body(dialect));
  }
}
