import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../../src/server/cli/main.ts';
import { DAY_MS } from '../../src/server/modules/ml/features.ts';
import { createProduct, TEST_JWT_SECRET } from '../support/app.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.ts';

/** import-orders takes files as shops export them (issue 16), and backtests on short histories. */
describeEachDialect('import-orders as shops export, backtest on a short history', (dialect) => {
  let t: TestDatabase;
  let dir: string;
  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    const out = {
      log: (...a: unknown[]) => lines.push(a.join(' ')),
      error: (...a: unknown[]) => lines.push(a.join(' ')),
    };
    const code = await runCli(argv, out);
    return { code, text: lines.join('\n') };
  };
  const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * DAY_MS).toISOString().slice(0, 10);
  const countOrders = async () =>
    Number(
      (
        await t.db
          .selectFrom('orders')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    dir = mkdtempSync(join(tmpdir(), 'cartwise-import-'));
    Object.assign(process.env, {
      DATABASE_URL: t.url,
      JWT_SECRET: TEST_JWT_SECRET,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
    });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.drop();
  });

  it('takes a spreadsheet export: BOM, quoted header, CRLF, thousands separators, zero amounts, e-mail ids, products', async () => {
    const teaId = await createProduct(t.db, { name: 'Green Tea', priceCents: 450 });
    const file = join(dir, 'export.csv');
    const rows = [
      '\uFEFF"Customer_ID","Date","Amount","Quantity","Product"',
      '"ada@example.com",2025-01-02,"1,234.50",2,"Green Tea"',
      '"ada@example.com",2025-02-03,0.00,1,"Free sample, assorted"',
      '"Smith, J.",20250105,12.00,1,"green tea"',
      'A1,2025-01-06,3.10,1,Old Mug',
      'a1,2025-01-07,4.20,1,Old Mug',
    ];
    writeFileSync(file, `${rows.join('\r\n')}\r\n`);
    const res = await run('import-orders', file);
    expect(res.text).toContain(
      'Imported 5 closed orders for 4 new customers; 2 products not in the catalog added as archived',
    );
    expect(res.code).toBe(0);
    const users = await t.db
      .selectFrom('users')
      .select(['id', 'external_id'])
      .where('external_id', 'is not', null)
      .execute();
    expect(users.map((u) => u.external_id).sort()).toEqual(['A1', 'Smith, J.', 'a1', 'ada@example.com']);
    const ada = users.find((u) => u.external_id === 'ada@example.com')!;
    const orders = await t.db
      .selectFrom('orders')
      .leftJoin('order_lines', 'order_lines.order_id', 'orders.id')
      .leftJoin('products', 'products.id', 'order_lines.product_id')
      .select([
        'orders.total_cents',
        'order_lines.quantity',
        'products.id as productId',
        'products.name',
        'products.archived',
      ])
      .where('orders.user_id', '=', ada.id)
      .orderBy('orders.closed_at')
      .execute();
    expect(orders).toEqual([
      { total_cents: 123_450, quantity: 2, productId: teaId, name: 'Green Tea', archived: 0 },
      {
        total_cents: 0,
        quantity: 1,
        productId: expect.any(Number),
        name: 'Free sample, assorted',
        archived: 1,
      },
    ]);
    const mugs = await t.db.selectFrom('products').select('id').where('name', '=', 'Old Mug').execute();
    expect(mugs).toHaveLength(1);
    // The same file again adds nothing.
    const again = await run('import-orders', file);
    expect(again.text).toContain('5 already imported lines skipped');
    expect(await countOrders()).toBe(5);
  });

  it('lists every problem and imports nothing, or skips the bad lines with --skip-invalid and says how many', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      'customer_id,date,amount\nb1,2025-03-01,10.00\n ,2025-03-02,1.00\nb2,2025-03-03,-4.00\nb3,2025-13-01,1,2345\nb4,2025-03-04,"1,23"\n',
    );
    const before = await countOrders();
    const res = await run('import-orders', file);
    expect(res.code).toBe(2);
    for (const text of [
      'line 3: customer_id ""',
      'line 4: amount "-4.00"',
      'line 5: expected 3 values',
      'line 6: amount "1,23"',
    ]) {
      expect(res.text).toContain(text);
    }
    expect(await countOrders()).toBe(before);
    const skipping = await run('import-orders', file, '--skip-invalid');
    expect(skipping.code).toBe(0);
    expect(skipping.text).toContain('Skipping 4 invalid line(s)');
    expect(skipping.text).toContain(
      'Imported 1 closed orders for 1 new customers. 4 invalid line(s) skipped.',
    );
    expect(await countOrders()).toBe(before + 1);
  });

  it('backtests at 273 days with 39 weeks of history before the cutoff, naming customers by the shop’s ids', async () => {
    // 60 customers, a purchase every ~3 weeks over 78 weeks, half of them stopping at week 30.
    const rows = ['customer_id,date,amount'];
    for (let c = 0; c < 60; c++) {
      for (let d = c % 20; d < (c % 2 ? 210 : 540); d += 19 + (c % 7))
        rows.push(`shop-${c},${day(d)},${(10 + c).toFixed(2)}`);
    }
    const file = join(dir, 'history.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    expect((await run('import-orders', file)).code).toBe(0);
    const out = join(dir, 'predictions.csv');
    const res = await run('backtest', '--cutoff', day(273), '--horizon', '273', '--out', out);
    expect(res.code).toBe(0);
    expect(res.text).toContain('Regime: likelihood-only');
    expect(res.text).toContain('bgnbd (chosen)');
    expect(res.text).toContain('baseline: historical rate');
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const shopRows = lines.filter((l) => l.startsWith('shop-'));
    expect(shopRows).toHaveLength(60);
    expect(lines.some((l) => l.startsWith('"Smith, J."'))).toBe(true);
    for (const line of shopRows) expect(line.split(',')[1]).toMatch(/^0\.\d+|^1\.0+$/);
  });
});
