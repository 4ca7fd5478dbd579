import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createDb, type Db } from '../../src/server/db/database.ts';
import { buildMlApp } from '../../src/server/ml-app.ts';
import { simulateIntoDb } from '../../src/server/modules/ml/data/history-writer.ts';
import { enqueueJob, runNextJob } from '../../src/server/modules/ml/jobs.ts';
import { acquireLease, releaseLease } from '../../src/server/modules/ml/queries/jobs.ts';
import { createProduct, createTestApp, createUser, type TestApp, testConfig } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';

describeEachDialect('ML coordination across processes', (dialect) => {
  let t: TestApp;
  let other: Db;
  let ml: FastifyInstance;
  let productId: number;

  beforeAll(async () => {
    // The app runs no trainer; a second "process" (own connection pool) runs the ML service.
    t = await createTestApp(dialect, { ML_RETRAIN_AFTER_ORDERS: '3', ML_RETRAIN_EVERY_HOURS: '0' });
    productId = await createProduct(t.db, { priceCents: 2500, stock: 1000 });
    for (let i = 0; i < 3; i++) await createProduct(t.db, { priceCents: 1000 + i * 1500, stock: 100 });
    await simulateIntoDb(t.db, { customers: 150, days: 730, seed: 3 });
    other = createDb(t.url);
  });
  afterAll(async () => {
    await ml?.close();
    await other.destroy();
    await t.close();
  });

  it('the trainer lease admits one holder at a time and expires', async () => {
    expect(await acquireLease(t.db, 'a', 60_000)).toBe(true);
    expect(await acquireLease(other, 'b', 60_000)).toBe(false);
    expect(await acquireLease(t.db, 'a', 60_000)).toBe(true); // renewal by the holder
    await releaseLease(t.db, 'a');
    expect(await acquireLease(other, 'b', 1)).toBe(true);
    await sleep(5);
    expect(await acquireLease(t.db, 'a', 60_000)).toBe(true); // b's lease expired
    await releaseLease(t.db, 'a');
  });

  it('two trainers started together: exactly one runs the job', async () => {
    const jobId = await enqueueJob(t.db, 'manual');
    const config = testConfig({ DATABASE_URL: t.url });
    const results = await Promise.all([
      runNextJob({ db: t.db, config, owner: 'trainer-a' }),
      runNextJob({ db: other, config, owner: 'trainer-b' }),
    ]);
    expect(results.filter((r) => r === jobId)).toHaveLength(1);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    const job = await t.db
      .selectFrom('ml_jobs')
      .selectAll()
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('done');
    const models = await t.db.selectFrom('ml_models').select('id').execute();
    expect(models).toHaveLength(2);
  });

  it('checkout refreshes the buyer’s prediction and queues a retrain after N new orders', async () => {
    const buyer = await createUser(t.db);
    const before = await t.db
      .selectFrom('ml_predictions')
      .select('user_id')
      .where('user_id', '=', buyer.id)
      .execute();
    expect(before).toHaveLength(0);
    for (let i = 0; i < 3; i++) {
      const add = await t.app.inject({
        method: 'POST',
        url: '/api/cart/items',
        headers: buyer.headers,
        payload: { productId, quantity: 1 },
      });
      expect(add.statusCode).toBe(200);
      const checkout = await t.app.inject({
        method: 'POST',
        url: '/api/cart/checkout',
        headers: buyer.headers,
        payload: { shippingAddress: '1 Main St' },
      });
      expect(checkout.statusCode).toBe(201);
    }
    let prediction: { status: string; reason: string | null } | undefined;
    let queued: unknown[] = [];
    for (let i = 0; i < 100 && (!prediction || queued.length === 0); i++) {
      await sleep(50);
      prediction = await t.db
        .selectFrom('ml_predictions')
        .select(['status', 'reason'])
        .where('user_id', '=', buyer.id)
        .executeTakeFirst();
      queued = await t.db.selectFrom('ml_jobs').select('id').where('trigger', '=', 'orders').execute();
    }
    // Three orders today: scored as "not enough data" (first order under 7 days ago), not a number.
    expect(prediction).toEqual({ status: 'insufficient_data', reason: 'first order less than 7 days ago' });
    expect(queued).toHaveLength(1);
  });

  it('the standalone ML service serves the same API with the same auth and runs the queued job', async () => {
    ml = await buildMlApp({
      config: testConfig({ DATABASE_URL: t.url, ML_WORKER: 'true', ML_RETRAIN_EVERY_HOURS: '0' }),
      db: other,
    });
    await ml.ready();
    const admin = await createUser(t.db, { role: 'admin' });
    expect((await ml.inject('/api/ml/status')).statusCode).toBe(401);
    const status = (await ml.inject({ url: '/api/ml/status', headers: admin.headers })).json();
    expect(status.activeModels).toHaveLength(2);
    // The app queues (it has no trainer); the ML service's trainer picks the job up via the database.
    const queued = (
      await t.app.inject({ method: 'POST', url: '/api/ml/retrain', headers: admin.headers })
    ).json();
    let job: { status: string } = { status: 'queued' };
    for (let i = 0; i < 200 && (job.status === 'queued' || job.status === 'running'); i++) {
      await sleep(100);
      job = (await ml.inject({ url: `/api/ml/jobs/${queued.jobId}`, headers: admin.headers })).json();
    }
    expect(job.status).toBe('done');
    const models = (await t.app.inject({ url: '/api/ml/models', headers: admin.headers })).json();
    expect(models.length).toBeGreaterThanOrEqual(4);
  });
});
