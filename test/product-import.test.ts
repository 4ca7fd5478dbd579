import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../src/server/cli/main.ts';
import { createTestApp, createUser, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(32, 1)]);

function capture() {
  const lines: string[] = [];
  const push = (...a: unknown[]) => void lines.push(a.join(' '));
  return { lines, out: { log: push, error: push } };
}

describeEachDialect('products CSV import and export', (dialect) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof createUser>>;
  const dir = mkdtempSync(join(tmpdir(), 'cartwise-import-'));

  beforeAll(async () => {
    t = await createTestApp(dialect, { DATA_DIR: join(dir, 'data') });
    admin = await createUser(t.db, { role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = (csv: string | Buffer, who = admin.headers) =>
    t.app.inject({
      method: 'POST',
      url: '/api/admin/products/import',
      headers: { ...who, 'content-type': 'text/csv' },
      payload: csv,
    });
  const productCount = async () =>
    Number(
      (
        await t.db
          .selectFrom('products')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('imports RFC 4180 CSV from the console, creating categories and updating same-named products', async () => {
    const csv =
      '\ufeffname,description,category,price,stock,image\r\n' +
      `"Oak Desk, large ${dialect}","Solid oak.\r\nTwo drawers, ""soft close""",Office Furniture,249.90,3,/images/desk.svg\r\n` +
      `Lamp ${dialect},Warm light,office furniture,19.99,0,\r\n` +
      `Kettle ${dialect},Boils,Kitchen & Dining,35,12,\r\n`;
    const res = await upload(csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ rows: 3, created: 3, updated: 0, categoriesCreated: 2 });
    const desk = (
      await t.app.inject({ url: `/api/products?q=${encodeURIComponent(`oak desk, large ${dialect}`)}` })
    ).json().items[0];
    expect(desk).toMatchObject({
      name: `Oak Desk, large ${dialect}`,
      description: 'Solid oak.\nTwo drawers, "soft close"',
      category: { name: 'Office Furniture', slug: 'office-furniture' },
      priceCents: 24990,
      stock: 3,
      imageUrl: '/images/desk.svg',
    });
    const kettle = (await t.app.inject({ url: `/api/search?q=kettle%20${dialect}` })).json().items[0];
    expect(kettle.category.slug).toBe('kitchen-dining');

    // Same name in another case: an update; the empty image keeps the picture.
    const again = await upload(
      `name,description,category,price,stock,image\noak desk, large ${dialect},New text,Office Furniture,199,5,\n`.replace(
        `oak desk, large ${dialect}`,
        `"OAK DESK, LARGE ${dialect}"`,
      ),
    );
    expect(again.json()).toEqual({ rows: 1, created: 0, updated: 1, categoriesCreated: 0 });
    const updated = (await t.app.inject({ url: `/api/products/${desk.id}` })).json();
    expect(updated).toMatchObject({
      name: `OAK DESK, LARGE ${dialect}`,
      priceCents: 19900,
      stock: 5,
      imageUrl: '/images/desk.svg',
    });
  });

  it('writes nothing when any row is bad, and lists every problem with its line', async () => {
    const before = await productCount();
    const res = await upload(
      'name,description,category,price,stock\n' +
        `Fine ${dialect},ok,Misc,1.00,1\n` +
        `Negative ${dialect},ok,Misc,-1,1\n` +
        `"Two\nlines ${dialect}",ok,Misc,1,-2\n` +
        `${'x'.repeat(201)},ok,Misc,1,1\n` +
        `fine ${dialect},dup,Misc,1,1\n` +
        'short,row\n',
    );
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe('invalid_csv');
    expect(body.problems.map((p: { line: number; column?: string }) => [p.line, p.column])).toEqual([
      [3, 'price'],
      [4, 'name'],
      [4, 'stock'],
      [6, 'name'],
      [7, 'name'],
      [8, undefined],
    ]);
    expect(await productCount()).toBe(before);

    for (const bad of ['name,description,category,price,stock,colour\n', 'name,price\n', '"unclosed\n', '']) {
      const r = await upload(bad);
      expect(r.statusCode, bad).toBe(422);
      expect(r.json().code).toBe('invalid_csv');
    }
    // Server-side files are for the command line only.
    const file = await upload(
      `name,description,category,price,stock,image\nPic ${dialect},d,Misc,1,1,/etc/passwd\n`,
    );
    expect(file.json().problems[0]).toMatchObject({ line: 2, column: 'image' });
    expect(await productCount()).toBe(before);

    const customer = await createUser(t.db);
    expect((await upload('name,description,category,price,stock\n', customer.headers)).statusCode).toBe(403);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/admin/products/import',
          headers: { 'content-type': 'text/csv' },
          payload: 'name,description,category,price,stock\n',
        })
      ).statusCode,
    ).toBe(401);
  });

  it('imports and exports from the command line: exit 2 on bad rows, local pictures stored', async () => {
    process.env.DATABASE_URL = t.url;
    process.env.DATA_DIR = t.config.DATA_DIR;
    process.env.JWT_SECRET = t.config.JWT_SECRET;
    writeFileSync(join(dir, 'photo.png'), PNG);
    writeFileSync(
      join(dir, 'good.csv'),
      `name,description,category,price,stock,image\nCli Lamp ${dialect},"From the CLI,\nwith care",Lighting,12.50,4,photo.png\n`,
    );
    const ok = capture();
    expect(await runCli(['import-products', join(dir, 'good.csv')], ok.out)).toBe(0);
    expect(ok.lines.join('\n')).toMatch(/1\/1 rows[\s\S]*1 products created/);
    const lamp = (await t.app.inject({ url: `/api/search?q=cli%20lamp%20${dialect}` })).json().items[0];
    expect(lamp.imageUrl).toMatch(/^\/uploads\/import-[0-9a-f]+\.png$/);
    expect((await t.app.inject({ url: lamp.imageUrl })).rawPayload.equals(PNG)).toBe(true);

    writeFileSync(join(dir, 'bad.csv'), 'name,description,category,price,stock\nX,d,c,abc,1\n');
    const bad = capture();
    const before = await productCount();
    expect(await runCli(['import-products', join(dir, 'bad.csv')], bad.out)).toBe(2);
    expect(bad.lines.join('\n')).toContain('line 2 (price)');
    expect(await productCount()).toBe(before);

    const exported = capture();
    expect(await runCli(['export-products', join(dir, 'out.csv')], exported.out)).toBe(0);
    const text = readFileSync(join(dir, 'out.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe('name,description,category,price,stock,image');
    expect(text).toContain(
      `Cli Lamp ${dialect},"From the CLI,\nwith care",Lighting,12.50,4,${lamp.imageUrl}`,
    );
    // The export reads back as an update of everything, changing nothing.
    const round = capture();
    expect(await runCli(['import-products', join(dir, 'out.csv')], round.out)).toBe(0);
    expect(round.lines.join('\n')).toMatch(/0 products created, \d+ updated/);
    expect((await t.app.inject({ url: `/api/products/${lamp.id}` })).json()).toEqual(lamp);
  });
});
