import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../../src/server/cli/main.ts';
import { DAY_MS } from '../../src/server/modules/ml/features.ts';
import { simulateCustomers } from '../../src/server/modules/ml/data/simulate.ts';
import { createProduct, TEST_JWT_SECRET } from '../support/app.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.ts';

describeEachDialect('ML command line: import-orders → backtest round trip', (dialect) => {
  let t: TestDatabase;
  let dir: string;
  const NOW = Date.now();
  // Known source data: 300 simulated customers, orders written as a shop would export them.
  const source = [...simulateCustomers({ customers: 300, days: 730, seed: 4, end: NOW - DAY_MS })].filter(
    (c) => c.orders.length > 0,
  );

  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    const out = {
      log: (...a: unknown[]) => lines.push(a.join(' ')),
      error: (...a: unknown[]) => lines.push(a.join(' ')),
    };
    const code = await runCli(argv, out);
    return { code, text: lines.join('\n') };
  };

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    dir = mkdtempSync(join(tmpdir(), 'cartwise-cli-'));
    Object.assign(process.env, {
      DATABASE_URL: t.url,
      JWT_SECRET: TEST_JWT_SECRET,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
    });
    const rows = ['customer_id,date,amount,quantity'];
    for (const c of source) {
      for (const [at, dollars] of c.orders)
        rows.push(`cust${c.index},${new Date(at).toISOString()},${dollars.toFixed(2)},1`);
    }
    writeFileSync(join(dir, 'orders.csv'), `${rows.join('\n')}\n`);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.drop();
  });

  it('imports the order history once, with amounts in dollars', async () => {
    const first = await run('import-orders', join(dir, 'orders.csv'));
    expect(first.code).toBe(0);
    const expectedOrders = source.reduce((s, c) => s + c.orders.length, 0);
    expect(first.text).toContain(
      `Imported ${expectedOrders} closed orders for ${source.length} new customers`,
    );
    const again = await run('import-orders', join(dir, 'orders.csv'));
    expect(again.code).toBe(0);
    expect(again.text).toContain(`${expectedOrders} already imported lines skipped`);
    const total = await t.db
      .selectFrom('orders')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('total_cents').as('cents')])
      .where('status', '=', 'CLOSED')
      .executeTakeFirstOrThrow();
    expect(Number(total.n)).toBe(expectedOrders);
    const dollars = source.reduce((s, c) => s + c.orders.reduce((a, [, d]) => a + Math.round(d * 100), 0), 0);
    expect(Number(total.cents)).toBe(dollars);
  });

  it('rejects a bad file with line numbers and imports nothing', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      `customer_id,date,amount\nok1,2025-01-02,10.00\nok1,2025-02-30,10.00\n${'x'.repeat(101)},2025-01-02,1.234\n`,
    );
    const before = await t.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await run('import-orders', file);
    expect(res.code).toBe(2);
    expect(res.text).toContain('line 3: date "2025-02-30"');
    expect(res.text).toContain(`line 4: customer_id "${'x'.repeat(101)}"`);
    expect(res.text).toContain('line 4: amount "1.234"');
    const after = await t.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await run('import-orders', join(dir, 'missing.csv'))).code).toBe(2);
  });

  it('backtests: the written actuals match the imported history after the cutoff', async () => {
    const cutoffDate = new Date(NOW - 120 * DAY_MS).toISOString().slice(0, 10);
    const cutoff = Date.parse(`${cutoffDate}T00:00:00Z`);
    const out = join(dir, 'predictions.csv');
    const res = await run('backtest', '--cutoff', cutoffDate, '--horizon', '90', '--out', out);
    expect(res.code).toBe(0);
    expect(res.text).toContain('baseline: base rate');
    expect(res.text).toContain('baseline: historical rate');
    expect(res.text).toMatch(/logistic-l2|bgnbd/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'customer_id,churn_probability,expected_orders,predicted_spend,actual_orders,actual_spend',
    );
    expect(lines).toHaveLength(source.length + 1);
    // The CSV names customers by the shop's own ids (the import's customer_id).
    const indexOf = new Map(source.map((c) => [`cust${c.index}`, c.index]));
    const byIndex = new Map(source.map((c) => [c.index, c]));
    let scored = 0;
    for (const line of lines.slice(1)) {
      const [id, churn, , spend, actualOrders, actualSpend] = line.split(',');
      const c = byIndex.get(indexOf.get(id)!)!;
      const after = c.orders.filter(([at]) => at > cutoff && at <= cutoff + 90 * DAY_MS);
      expect(Number(actualOrders)).toBe(after.length);
      expect(actualSpend).toBe((after.reduce((s, [, d]) => s + Math.round(d * 100), 0) / 100).toFixed(2));
      if (churn !== '') {
        scored++;
        expect(Number(churn)).toBeGreaterThanOrEqual(0);
        expect(Number(churn)).toBeLessThanOrEqual(1);
        expect(spend).toMatch(/^\d+\.\d{2}$/);
      }
    }
    expect(scored).toBeGreaterThan(100);
    expect((await run('backtest', '--cutoff', 'yesterday', '--horizon', '90')).code).toBe(2);
  });

  it('trains, exports the dataset and simulates declared-synthetic customers', async () => {
    const trained = await run('train');
    expect(trained.code).toBe(0);
    expect(trained.text).toContain('Model versions:');
    const models = await t.db.selectFrom('ml_models').select(['kind', 'status']).execute();
    expect(
      models
        .filter((m) => m.status === 'active')
        .map((m) => m.kind)
        .sort(),
    ).toEqual(['churn', 'spend']);

    const file = join(dir, 'dataset.csv');
    expect((await run('export-dataset', file)).code).toBe(0);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toContain('customer_id,window,cutoff');

    await createProduct(t.db, { priceCents: 1500 });
    const sim = await run('simulate', '--customers', '30', '--days', '60', '--seed', '3');
    expect(sim.code).toBe(0);
    expect(sim.text).toContain('30/30 customers');
    const synthetic = await t.db.selectFrom('users').select('id').where('is_synthetic', '=', 1).execute();
    expect(synthetic).toHaveLength(30);
    const ids = synthetic.map((u) => u.id);
    const realOrders = await t.db
      .selectFrom('orders')
      .select('id')
      .where('user_id', 'in', ids)
      .where('is_synthetic', '=', 0)
      .execute();
    const realEvents = await t.db
      .selectFrom('events')
      .select('id')
      .where('user_id', 'in', ids)
      .where('is_synthetic', '=', 0)
      .execute();
    expect(realOrders).toHaveLength(0);
    expect(realEvents).toHaveLength(0);
    expect((await run('simulate', '--customers', 'many', '--days', '3')).code).toBe(2);
  });
});
