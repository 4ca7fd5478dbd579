import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../src/server/cli/main.ts';
import { createDb, type Db, type DialectName } from '../src/server/db/database.ts';
import { migrationStatus } from '../src/server/db/migrate.ts';
import { TEST_JWT_SECRET } from './support/app.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';
import { spawnNpmScript } from './support/npm-scripts.ts';

function capture() {
  const lines: string[] = [];
  const push = (...a: unknown[]) => void lines.push(a.join(' '));
  return { text: () => lines.join('\n'), out: { log: push, error: push } };
}

/** Tables, their columns and every index: what a migration's `down` must take back exactly. */
async function schemaSnapshot(db: Db, dialect: DialectName) {
  const tables = (await db.introspection.getTables())
    .map(
      (t) =>
        `${t.name}(${t.columns.map((c) => `${c.name} ${c.dataType}${c.isNullable ? '?' : ''}`).join(', ')})`,
    )
    .sort();
  const indexes =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`select tbl_name || '.' || name as name from sqlite_master
          where type = 'index' and name not like 'sqlite_%' and tbl_name not like 'kysely_%'`.execute(db)
      : await sql<{ name: string }>`select distinct concat(table_name, '.', index_name) as name
          from information_schema.statistics
          where table_schema = database() and table_name not like 'kysely_%'`.execute(db);
  return { tables, indexes: indexes.rows.map((r) => r.name).sort() };
}

describeEachDialect('migrate --status and --down', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    process.env.DATABASE_URL = database.url;
    process.env.JWT_SECRET = TEST_JWT_SECRET;
  });
  afterAll(async () => {
    await database.drop();
  });

  it('every migration goes down and back up: up → down all → up leaves the same schema', async () => {
    const { db } = database;
    const migrated = await schemaSnapshot(db, dialect);
    const names = (await migrationStatus(db)).map((m) => m.name);
    expect(names.length).toBeGreaterThanOrEqual(8);

    const status = capture();
    expect(await runCli(['migrate', '--status'], status.out)).toBe(0);
    for (const name of names)
      expect(status.text()).toMatch(new RegExp(`^applied  \\d{4}-\\d\\d-\\d\\d .*  ${name}$`, 'm'));
    expect(status.text()).toContain(`${names.length} applied, 0 pending.`);

    // Each --down reverts the newest applied migration, and only that one.
    for (let applied = names.length; applied > 0; applied -= 1) {
      const down = capture();
      expect(await runCli(['migrate', '--down'], down.out), down.text()).toBe(0);
      expect(down.text()).toBe(`Reverted ${names[applied - 1]}.`);
      const states = await migrationStatus(db);
      expect(states.filter((m) => m.appliedAt).map((m) => m.name)).toEqual(names.slice(0, applied - 1));
    }
    expect(await schemaSnapshot(db, dialect)).toEqual({ tables: [], indexes: [] });
    const nothing = capture();
    expect(await runCli(['migrate', '--down'], nothing.out)).toBe(0);
    expect(nothing.text()).toBe('Nothing to revert: no migration is applied.');
    const pending = capture();
    expect(await runCli(['migrate', '--status'], pending.out)).toBe(0);
    expect(pending.text()).toContain(`0 applied, ${names.length} pending.`);

    const up = capture();
    expect(await runCli(['migrate'], up.out)).toBe(0);
    expect(up.text()).toBe(`Applied ${names.join(', ')}.`);
    expect(await schemaSnapshot(db, dialect)).toEqual(migrated);
    const again = capture();
    expect(await runCli(['migrate'], again.out)).toBe(0);
    expect(again.text()).toBe('The schema is up to date.');

    expect(await runCli(['migrate', '--status', '--down'], capture().out)).toBe(2);
    expect(await runCli(['migrate', '--sideways'], capture().out)).toBe(2);
  });
});

it('migrate --status runs as a process and changes nothing on a fresh database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cartwise-migrate-'));
  try {
    const url = `sqlite:${join(dir, 'fresh.sqlite')}`;
    const run = spawnNpmScript('cartwise', {
      cwd: dir,
      env: { DATABASE_URL: url, DATA_DIR: dir },
      args: ['migrate', '--status'],
    });
    expect(await run.exited, run.stderr()).toBe(0);
    expect(run.stdout()).toMatch(/^pending {2}\s+0001_core$/m);
    expect(run.stdout()).toMatch(/^0 applied, \d+ pending\.$/m);
    const db = createDb(url);
    try {
      expect(await db.introspection.getTables()).toEqual([]);
    } finally {
      await db.destroy();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
