import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { simulateIntoDb } from '../../src/server/modules/ml/data/history-writer.ts';
import { createProduct, createTestApp, createUser, type TestApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';

// biome-ignore lint/suspicious/noExplicitAny: untyped JSON response bodies, checked field by field
type Json = Record<string, any>;

async function waitForJob(t: TestApp, headers: Json, jobId: number): Promise<Json> {
  for (let i = 0; i < 600; i++) {
    const job = (await t.app.inject({ url: `/api/ml/jobs/${jobId}`, headers })).json();
    if (job.status === 'done' || job.status === 'failed') return job;
    await sleep(100);
  }
  throw new Error(`job ${jobId} did not finish`);
}

describeEachDialect('ML API: retrain, promote, reject, rollback', (dialect) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof createUser>>;
  let customer: Awaited<ReturnType<typeof createUser>>;

  beforeAll(async () => {
    t = await createTestApp(dialect, {
      ML_WORKER: 'true',
      ML_RETRAIN_EVERY_HOURS: '0',
      ML_RETRAIN_AFTER_ORDERS: '100000',
    });
    for (let i = 0; i < 5; i++) await createProduct(t.db, { priceCents: 900 + 700 * i, stock: 1000 });
    await simulateIntoDb(t.db, { customers: 250, days: 730, seed: 7 });
    admin = await createUser(t.db, { role: 'admin' });
    customer = await createUser(t.db);
  });
  afterAll(() => t.close());

  it('is admin only', async () => {
    for (const url of [
      '/api/ml/status',
      '/api/ml/models',
      '/api/ml/customers',
      '/api/ml/monitoring',
      '/api/ml/dataset.csv',
      '/api/ml/jobs',
    ]) {
      expect((await t.app.inject(url)).statusCode).toBe(401);
      expect((await t.app.inject({ url, headers: customer.headers })).statusCode).toBe(403);
    }
    const retrain = await t.app.inject({ method: 'POST', url: '/api/ml/retrain', headers: customer.headers });
    expect(retrain.statusCode).toBe(403);
  });

  it('reports the data and eligibility before any training', async () => {
    const status = (await t.app.inject({ url: '/api/ml/status', headers: admin.headers })).json();
    expect(status.activeModels).toEqual([]);
    expect(status.eligible).toBe(true);
    expect(status.data.synthetic.customers).toBe(250);
    expect(status.data.customers).toBe(251);
    expect(status.data.synthetic.closedOrders).toBe(status.data.closedOrders);
    const none = (
      await t.app.inject({ url: `/api/ml/customers/${customer.id}`, headers: admin.headers })
    ).json();
    expect(none).toMatchObject({
      status: 'insufficient_data',
      churnProbability: null,
      predictedSpendCents: null,
    });
  });

  let first: Json[];

  it('trains in the background, promotes the first versions and scores every customer', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/ml/retrain', headers: admin.headers });
    expect(res.statusCode).toBe(202);
    const job = await waitForJob(t, admin.headers, res.json().jobId);
    expect(job.status).toBe('done');
    expect(job.progress).toBe(1);
    expect(job.modelIds).toHaveLength(2);
    expect(job.log).toContain('promoted');
    const jobs = (await t.app.inject({ url: '/api/ml/jobs?limit=5', headers: admin.headers })).json();
    expect(jobs[0]).toMatchObject({ id: job.id, trigger: 'manual', status: 'done', modelIds: job.modelIds });

    first = (await t.app.inject({ url: '/api/ml/models', headers: admin.headers })).json();
    expect(first.map((m) => [m.kind, m.status])).toEqual([
      ['spend', 'active'],
      ['churn', 'active'],
    ]);
    const churn = first.find((m) => m.kind === 'churn')!;
    expect(churn.metrics.rocAuc).toBeGreaterThan(0.6);
    expect(churn.metrics.brier).toBeLessThan(churn.baselineMetrics.brier);
    expect(churn).toMatchObject({ horizonDays: 90, jobId: job.id });
    expect(churn.rows).toBeGreaterThan(20);
    expect(churn.dataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(churn.cutoff)).toBeLessThan(Date.parse(churn.holdoutCutoff));
    const spend = first.find((m) => m.kind === 'spend')!;
    expect(spend.metrics.orders.mae).toBeLessThan(spend.baselineMetrics.orders.mae);

    const list = (
      await t.app.inject({
        url: '/api/ml/customers?sort=-churnProbability&pageSize=100',
        headers: admin.headers,
      })
    ).json();
    expect(list.total).toBe(251);
    const scored = list.items.filter((i: Json) => i.status === 'ok');
    const okTotal = (
      await t.app.inject({ url: '/api/ml/customers?status=ok', headers: admin.headers })
    ).json().total;
    expect(okTotal).toBeGreaterThan(150);
    expect(scored.length).toBeGreaterThan(50);
    for (let i = 1; i < scored.length; i++) {
      expect(scored[i - 1].churnProbability).toBeGreaterThanOrEqual(scored[i].churnProbability);
    }
    const bySpend = (
      await t.app.inject({
        url: '/api/ml/customers?sort=predictedSpendCents&status=ok',
        headers: admin.headers,
      })
    ).json();
    expect(bySpend.items[0].predictedSpendCents).toBeLessThanOrEqual(bySpend.items[1].predictedSpendCents);

    const detail = (
      await t.app.inject({ url: `/api/ml/customers/${scored[0].userId}`, headers: admin.headers })
    ).json();
    expect(detail.explanation.drivers.length).toBeGreaterThan(0);
    expect(detail.churnModelId).toBe(churn.id);
    expect(detail.isSynthetic).toBe(true);
    // The customer with no orders is shown as "not enough data", not as a number.
    const empty = (
      await t.app.inject({ url: `/api/ml/customers/${customer.id}`, headers: admin.headers })
    ).json();
    expect(empty).toMatchObject({
      status: 'insufficient_data',
      reason: 'no closed orders yet',
      churnProbability: null,
    });
  });

  it('rejects a retrain that does not beat the active version on the same holdout', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/ml/retrain', headers: admin.headers });
    const job = await waitForJob(t, admin.headers, res.json().jobId);
    expect(job.status).toBe('done');
    const models: Json[] = (await t.app.inject({ url: '/api/ml/models', headers: admin.headers })).json();
    const fresh = models.filter((m) => job.modelIds.includes(m.id));
    expect(fresh.map((m) => m.status)).toEqual(['rejected', 'rejected']);
    expect(fresh[0].decision).toContain('does not beat the active model');
    expect(fresh[0].metrics).toBeTruthy();
    expect(
      models
        .filter((m) => m.status === 'active')
        .map((m) => m.id)
        .sort(),
    ).toEqual(first.map((m) => m.id).sort());
  });

  it('rolls back by activating an older version and rescoring', async () => {
    const models: Json[] = (await t.app.inject({ url: '/api/ml/models', headers: admin.headers })).json();
    const rejectedChurn = models.find((m) => m.kind === 'churn' && m.status === 'rejected')!;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/ml/models/${rejectedChurn.id}/activate`,
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: rejectedChurn.id, status: 'active' });
    // The answer does not wait for rescoring: that runs as a job in the trainer's worker thread.
    const rescore = await waitForJob(t, admin.headers, res.json().rescoreJobId);
    expect(rescore).toMatchObject({ trigger: 'activation', status: 'done', modelIds: [] });
    const after: Json[] = (await t.app.inject({ url: '/api/ml/models', headers: admin.headers })).json();
    const oldChurn = first.find((m) => m.kind === 'churn')!;
    expect(after.find((m) => m.id === oldChurn.id)!.status).toBe('retired');
    expect(after.filter((m) => m.kind === 'churn' && m.status === 'active')).toHaveLength(1);
    const list = (
      await t.app.inject({ url: '/api/ml/customers?status=ok&pageSize=1', headers: admin.headers })
    ).json();
    const detail = (
      await t.app.inject({ url: `/api/ml/customers/${list.items[0].userId}`, headers: admin.headers })
    ).json();
    expect(detail.churnModelId).toBe(rejectedChurn.id);
    // And back again.
    const back = await t.app.inject({
      method: 'POST',
      url: `/api/ml/models/${oldChurn.id}/activate`,
      headers: admin.headers,
    });
    expect(back.json().status).toBe('active');
    await waitForJob(t, admin.headers, back.json().rescoreJobId);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/ml/models/999999/activate', headers: admin.headers }))
        .statusCode,
    ).toBe(404);
  });

  it('promotes a retrain that beats a worse active version', async () => {
    // Make the active churn model useless (all weights zero: a constant prediction).
    const active: Json[] = (await t.app.inject({ url: '/api/ml/models', headers: admin.headers })).json();
    const churn = active.find((m) => m.kind === 'churn' && m.status === 'active')!;
    const constant = (m: Json) => ({ ...m, weights: (m.weights as number[]).map(() => 0), intercept: 3 });
    const params =
      churn.algorithm === 'logistic-l2'
        ? constant(churn.params)
        : churn.algorithm === 'blend-logistic'
          ? { ...churn.params, model: constant(churn.params.model as Json) }
          : { ...churn.params, r: 50, alpha: 1 };
    await t.db
      .updateTable('ml_models')
      .set({ params: JSON.stringify(params) })
      .where('id', '=', churn.id)
      .execute();
    const res = await t.app.inject({ method: 'POST', url: '/api/ml/retrain', headers: admin.headers });
    const job = await waitForJob(t, admin.headers, res.json().jobId);
    const models: Json[] = (await t.app.inject({ url: '/api/ml/models', headers: admin.headers })).json();
    const fresh = models.find((m) => job.modelIds.includes(m.id) && m.kind === 'churn')!;
    expect(fresh.status).toBe('active');
    expect(fresh.decision).toContain('beats the active model');
    expect(models.find((m) => m.id === churn.id)!.status).toBe('retired');
  });

  it('lists customers with the shop’s own id, searchable, without the synthetic ones on request, riskiest first', async () => {
    await t.db.updateTable('users').set({ external_id: 'shop-42' }).where('id', '=', customer.id).execute();
    const get = async (query: string) =>
      (await t.app.inject({ url: `/api/ml/customers?${query}`, headers: admin.headers })).json();
    const real = await get('synthetic=exclude');
    expect(real.total).toBe(1);
    expect(real.items[0]).toMatchObject({ userId: customer.id, externalId: 'shop-42', isSynthetic: false });
    const only = await get('synthetic=only&pageSize=100');
    expect(only.total).toBe(250);
    expect(only.items.every((c: Json) => c.isSynthetic && c.externalId === null)).toBe(true);
    const risky = await get('sort=-churnProbability&status=ok&pageSize=100');
    const risks = risky.items.map((c: Json) => c.churnProbability as number);
    expect(risks).toEqual([...risks].sort((a, b) => b - a));
    for (const q of [
      'shop-42',
      customer.username.toUpperCase().slice(2),
      'SHOP 42'.toLowerCase().replace(' ', '-'),
    ]) {
      const found = await get(`q=${encodeURIComponent(q)}`);
      expect(found.items.map((c: Json) => c.userId)).toEqual([customer.id]);
    }
    const sim = only.items[0] as Json;
    const byName = await get(
      `q=${encodeURIComponent(`${sim.name.split(' ')[0]} ${sim.name.split(' ').at(-1)}`)}&synthetic=only`,
    );
    expect(byName.items.map((c: Json) => c.userId)).toContain(sim.userId);
    expect(
      (await t.app.inject({ url: `/api/ml/customers?synthetic=maybe`, headers: admin.headers })).statusCode,
    ).toBe(422);
  });

  it('serves monitoring and the dataset', async () => {
    const m = (await t.app.inject({ url: '/api/ml/monitoring', headers: admin.headers })).json();
    expect(m.metricHistory.churn.length).toBeGreaterThanOrEqual(3);
    expect(m.metricHistory.spend.length).toBeGreaterThanOrEqual(3);
    expect(m.predictionDistribution.total).toBe(251);
    expect(m.predictionDistribution.churnProbability.reduce((s: number, b: Json) => s + b.count, 0)).toBe(
      251 - m.predictionDistribution.insufficientData,
    );
    expect(m.dataVolume.length).toBeGreaterThan(12);
    expect(m.featureDrift.features.map((f: Json) => f.feature)).toContain('recencyDays');

    const csv = await t.app.inject({ url: '/api/ml/dataset.csv', headers: admin.headers });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe(
      'customer_id,window,cutoff,horizon_days,recency_days,frequency,monetary,tenure_days,views,searches,favorites,cart_adds,abandoned_carts,assistant_uses,churned,orders,spend',
    );
    expect(lines.length).toBeGreaterThan(100);
    expect(lines[1].split(',')[6]).toMatch(/^\d+\.\d{2}$/);
  });

  it('lists the newest jobs first, at most the limit asked for', async () => {
    const started = await t.db
      .selectFrom('ml_jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(started.n)).toBeGreaterThan(1); // the tests above trained several times
    const all = (await t.app.inject({ url: '/api/ml/jobs?limit=50', headers: admin.headers })).json();
    expect(all).toHaveLength(Math.min(50, Number(started.n)));
    const ids = all.map((j: Json) => j.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const one = (await t.app.inject({ url: '/api/ml/jobs?limit=1', headers: admin.headers })).json();
    expect(one).toEqual([all[0]]);
    expect((await t.app.inject({ url: '/api/ml/jobs', headers: admin.headers })).json()).toHaveLength(
      Math.min(10, Number(started.n)),
    );
    for (const limit of ['0', '51', 'x']) {
      const bad = await t.app.inject({ url: `/api/ml/jobs?limit=${limit}`, headers: admin.headers });
      expect(bad.statusCode).toBe(422);
    }
  });

  it('validates paging and sort', async () => {
    for (const q of ['sort=name', 'page=0', 'pageSize=101', 'status=maybe']) {
      const res = await t.app.inject({ url: `/api/ml/customers?${q}`, headers: admin.headers });
      expect(res.statusCode).toBe(422);
    }
    expect((await t.app.inject({ url: '/api/ml/jobs/999999', headers: admin.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/ml/customers/999999', headers: admin.headers })).statusCode).toBe(
      404,
    );
  });
});
