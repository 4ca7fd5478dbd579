import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../src/server/cli/main.ts';
import { createDb } from '../src/server/db/database.ts';
import { DEMO_ACCOUNTS } from '../src/server/db/seed/demo-catalog.ts';
import { demoLoginsToPrint, seedDemoCatalog } from '../src/server/db/seed/seed.ts';
import { SHIPPED_IMAGES_DIR } from '../src/server/modules/catalog/routes.ts';
import { verifyPassword } from '../src/server/modules/accounts/passwords.ts';
import { createTestApp, createUser, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

const dev = { DEMO_DATA: true, NODE_ENV: 'development' as const };

function capture() {
  const lines: string[] = [];
  return {
    lines,
    out: {
      log: (...a: unknown[]) => void lines.push(a.join(' ')),
      error: (...a: unknown[]) => void lines.push(a.join(' ')),
    },
  };
}

describeEachDialect('demo data and CLI', (dialect) => {
  let t: TestApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'cartwise-cli-'));
  beforeAll(async () => {
    t = await createTestApp(dialect, { DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves the database empty when DEMO_DATA is false', async () => {
    expect(await seedDemoCatalog(t.db, { ...dev, DEMO_DATA: false })).toEqual({ seeded: false, created: [] });
    expect(await t.db.selectFrom('products').select('id').execute()).toHaveLength(0);
  });

  it('seeds once, even when two processes start at the same moment', async () => {
    const other = createDb(t.url);
    try {
      const [a, b] = await Promise.all([seedDemoCatalog(t.db, dev), seedDemoCatalog(other, dev)]);
      expect(a.seeded || b.seeded).toBe(true);
      // Each account was created by exactly one of the two.
      expect([...a.created, ...b.created].map((l) => l.username).sort()).toEqual(
        DEMO_ACCOUNTS.map((d) => d.username).sort(),
      );
    } finally {
      await other.destroy();
    }
    expect(await seedDemoCatalog(t.db, dev)).toEqual({ seeded: false, created: [] });

    const categories = (await t.app.inject('/api/categories')).json();
    expect(categories).toHaveLength(5);
    expect(categories.every((c: { productCount: number }) => c.productCount >= 4)).toBe(true);
    const products = (await t.app.inject('/api/products?pageSize=100')).json();
    expect(products.total).toBeGreaterThanOrEqual(20);
    expect(products.items.filter((p: { stock: number }) => p.stock === 0).length).toBeGreaterThanOrEqual(2);
    expect(new Set(products.items.map((p: { imageUrl: string }) => p.imageUrl)).size).toBe(products.total);
    for (const p of products.items as { imageUrl: string; description: string; priceCents: number }[]) {
      expect(p.description.length).toBeGreaterThan(40);
      expect(Number.isInteger(p.priceCents) && p.priceCents > 0).toBe(true);
      expect(existsSync(join(SHIPPED_IMAGES_DIR, p.imageUrl.replace('/images/', '')))).toBe(true);
    }
    const image = await t.app.inject(products.items[0].imageUrl);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toContain('image/svg+xml');
    expect(image.body).toContain('<svg');
  });

  it('demo logins work and are the ones printed', async () => {
    const printed = await demoLoginsToPrint(t.db, dev, { seeded: false, created: [] });
    expect(printed.map((l) => l.role).sort()).toEqual(['admin', 'customer', 'customer']);
    for (const login of printed) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: login.username, password: login.password },
      });
      expect(res.statusCode, login.username).toBe(200);
      expect(res.json().user.role).toBe(login.role);
    }
    // Production never prints known passwords, only ones generated in that run.
    expect(
      await demoLoginsToPrint(t.db, { ...dev, NODE_ENV: 'production' }, { seeded: false, created: [] }),
    ).toEqual([]);
  });

  it('create-admin creates an admin, and promotes an existing user setting the password', async () => {
    process.env.DATABASE_URL = t.url;
    process.env.DATA_DIR = dataDir;
    process.env.JWT_SECRET = t.config.JWT_SECRET;
    const created = capture();
    expect(
      await runCli(['create-admin', '--username', 'Boss_1', '--password', 'boss-password-1'], created.out),
    ).toBe(0);
    expect(created.lines.join('\n')).toMatch(/Created admin "Boss_1"/);
    const boss = await t.db
      .selectFrom('users')
      .selectAll()
      .where('username_key', '=', 'boss_1')
      .executeTakeFirstOrThrow();
    expect(boss.role).toBe('admin');

    const customer = await createUser(t.db, { username: 'Promote_Me' });
    const promoted = capture();
    expect(
      await runCli(
        ['create-admin', '--username', 'promote_me', '--password', 'brand-new-password'],
        promoted.out,
      ),
    ).toBe(0);
    const row = await t.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(row.role).toBe('admin');
    expect(await verifyPassword(row.password_hash, 'brand-new-password')).toBe(true);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'Promote_Me', password: 'brand-new-password' },
    });
    expect(login.json().user.role).toBe('admin');
    const admin = { authorization: `Bearer ${login.json().token}` };
    expect((await t.app.inject({ url: '/api/admin/products', headers: admin })).statusCode).toBe(200);

    const bad = capture();
    expect(await runCli(['create-admin', '--username', 'x', '--password', 'long-enough-1'], bad.out)).toBe(2);
    expect(bad.lines.join('\n')).toMatch(/--username/);
    expect(await runCli(['create-admin', '--username', 'okname'], capture().out)).toBe(2);
    expect(await runCli(['create-admin', '--bogus'], capture().out)).toBe(2);
    expect(await runCli(['no-such-command'], capture().out)).toBe(1);

    const seed = capture();
    expect(await runCli(['seed'], seed.out)).toBe(0);
    expect(seed.lines.join('\n')).toMatch(/already has products/);
  });
});

it('the cartwise CLI runs as a process and migrates a fresh database first', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cartwise-cli-proc-'));
  try {
    const env = {
      ...process.env,
      DATABASE_URL: `sqlite:${join(dir, 'fresh.sqlite')}`,
      DATA_DIR: dir,
      LOG_LEVEL: 'silent',
    };
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        'src/server/cli/main.ts',
        'create-admin',
        '--username',
        'first_admin',
        '--password',
        'first-admin-pass',
      ],
      { env },
    );
    expect(stdout).toMatch(/Created admin "first_admin"/);
    const db = createDb(env.DATABASE_URL);
    const row = await db
      .selectFrom('users')
      .select('role')
      .where('username', '=', 'first_admin')
      .executeTakeFirst();
    await db.destroy();
    expect(row?.role).toBe('admin');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
