import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerHealth } from '../src/server/http/health.ts';
import { ShopListing } from '../src/server/modules/catalog/shop-listing.ts';
import { createProduct, createTestApp, createUser, type TestApp } from './support/app.ts';
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

  it('answers 503 catalog_loading on /health/ready until the catalog is in memory', async () => {
    const listing = new ShopListing(t.db, { maxAgeMs: 60_000 });
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerHealth(app, { db: t.db, listing });
    const loading = await app.inject('/health/ready');
    expect(loading.statusCode).toBe(503);
    expect(loading.json().code).toBe('catalog_loading');
    await listing.warm();
    expect((await app.inject('/health/ready')).json()).toEqual({ status: 'ok', database: dialect });
    await app.close();
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

describeEachDialect('request bodies', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  it('treats an empty body sent as application/json as no body', async () => {
    const user = await createUser(t.db);
    const productId = await createProduct(t.db);
    const headers = { ...user.headers, 'content-type': 'application/json' };
    const put = await t.app.inject({ method: 'PUT', url: `/api/favorites/${productId}`, headers });
    expect(put.statusCode).toBe(204);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/favorites/${productId}`, headers });
    expect(del.statusCode).toBe(204);
  });

  it('still rejects malformed JSON with 400 and a missing required body with 422', async () => {
    const user = await createUser(t.db);
    const headers = { ...user.headers, 'content-type': 'application/json' };
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/cart/items',
      headers,
      payload: '{"a":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('malformed_body');
    const empty = await t.app.inject({ method: 'POST', url: '/api/cart/items', headers });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().code).toBe('validation_failed');
  });
});
