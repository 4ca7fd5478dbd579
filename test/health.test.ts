import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

describeEachDialect('health and docs', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  it('reports live and ready with the dialect', async () => {
    expect((await t.app.inject('/health/live')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/health/ready')).json()).toEqual({ status: 'ok', database: dialect });
  });

  it('answers 503 on /health/ready when the database is gone', async () => {
    const other = await createTestApp(dialect);
    await other.db.destroy();
    const res = await other.app.inject('/health/ready');
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('database_unavailable');
    await other.app.close();
    await other.drop().catch(() => undefined);
  });

  it('serves the OpenAPI document and Swagger UI', async () => {
    const doc = (await t.app.inject('/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/health/ready');
    expect((await t.app.inject('/docs/')).statusCode).toBe(200);
  });

  it('answers unknown routes with problem+json 404', async () => {
    const res = await t.app.inject('/api/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, code: 'not_found' });
  });
});
