import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  freePort,
  type ScratchDatabase,
  type ServerProcess,
  scratchDatabase,
  startServer,
} from '../bench/support.ts';
import { loadConfig } from '../src/server/config.ts';
import { createTestApp, TEST_JWT_SECRET, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

/** Issue 18, "Production defaults": an empty shop and closed metrics unless configured. */

it('DEMO_DATA defaults to true in development and false in production; explicit values win', () => {
  const secret = { JWT_SECRET: TEST_JWT_SECRET };
  expect(loadConfig({ ...secret, NODE_ENV: 'development' }).DEMO_DATA).toBe(true);
  expect(loadConfig({ ...secret, NODE_ENV: 'production' }).DEMO_DATA).toBe(false);
  expect(loadConfig({ ...secret, NODE_ENV: 'production', DEMO_DATA: 'true' }).DEMO_DATA).toBe(true);
  expect(loadConfig({ ...secret, NODE_ENV: 'development', DEMO_DATA: 'false' }).DEMO_DATA).toBe(false);
});

describeEachDialect('production defaults', (dialect) => {
  let database: ScratchDatabase;
  let server: ServerProcess | undefined;
  let tokenApp: TestApp;
  beforeAll(async () => {
    database = await scratchDatabase(dialect, 'prod');
    tokenApp = await createTestApp(dialect, {
      NODE_ENV: 'production',
      METRICS_TOKEN: 'metrics-token-0123456789',
    });
  });
  afterAll(async () => {
    await server?.kill();
    await tokenApp?.close();
    await database?.drop();
  });

  it('NODE_ENV=production starts an empty shop, prints no password, and keeps /metrics closed', async () => {
    const metricsPort = await freePort();
    // DEMO_DATA unset (empty is unset), as an operator who never heard of it would start it.
    server = await startServer({
      DATABASE_URL: database.url,
      DEMO_DATA: '',
      METRICS_PORT: String(metricsPort),
    });
    for (const table of ['products', 'categories', 'users', 'orders', 'events'] as const) {
      const rows = await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .execute();
      expect(Number(rows[0].n), table).toBe(0);
    }
    const page = await (await fetch(`${server.url}/api/products`)).json();
    expect(page.total).toBe(0);
    expect(server.output()).not.toMatch(/demo logins|password/i);

    const open = await fetch(`${server.url}/metrics`);
    expect(open.status).toBe(401);
    expect(await open.text()).not.toContain('cartwise_');
    // The separate listener serves them on 127.0.0.1 only.
    const local = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(local.status).toBe(200);
    expect(await local.text()).toContain('cartwise_checkout_revenue_cents_total');
    expect((await fetch(`http://127.0.0.1:${metricsPort}/api/products`)).status).toBe(404);
    expect(await server.stop()).toBe(0);
  }, 60_000);

  it('with METRICS_TOKEN, production serves /metrics to that bearer token only', async () => {
    expect((await tokenApp.app.inject('/metrics')).statusCode).toBe(401);
    const wrong = await tokenApp.app.inject({ url: '/metrics', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    const right = await tokenApp.app.inject({
      url: '/metrics',
      headers: { authorization: 'Bearer metrics-token-0123456789' },
    });
    expect(right.statusCode).toBe(200);
    expect(right.body).toContain('cartwise_');
  });
});
