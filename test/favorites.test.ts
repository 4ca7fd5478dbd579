import { afterAll, beforeAll, expect, it } from 'vitest';
import { createProduct, createTestApp, createUser, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

type User = Awaited<ReturnType<typeof createUser>>;

describeEachDialect('favorites', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, user: User | null) =>
    t.app.inject({ method, url, headers: user?.headers ?? {} });
  const eventTypes = async (userId: number) =>
    (
      await t.db.selectFrom('events').select('type').where('user_id', '=', userId).orderBy('id').execute()
    ).map((e) => e.type);

  it('requires a session', async () => {
    expect((await call('GET', '/api/favorites', null)).statusCode).toBe(401);
    expect((await call('PUT', '/api/favorites/1', null)).statusCode).toBe(401);
    expect((await call('DELETE', '/api/favorites/1', null)).statusCode).toBe(401);
  });

  it('adds and removes idempotently and lists full products, out of stock included', async () => {
    const user = await createUser(t.db);
    const a = await createProduct(t.db, { stock: 0, priceCents: 499 });
    const b = await createProduct(t.db, { stock: 4 });
    expect((await call('GET', '/api/favorites', user)).json()).toEqual([]);

    for (let i = 0; i < 2; i++) {
      expect((await call('PUT', `/api/favorites/${a}`, user)).statusCode).toBe(204);
    }
    expect((await call('PUT', `/api/favorites/${b}`, user)).statusCode).toBe(204);
    const rows = await t.db
      .selectFrom('favorites')
      .select('product_id')
      .where('user_id', '=', user.id)
      .execute();
    expect(rows.map((r) => r.product_id).sort()).toEqual([a, b].sort());

    const list = (await call('GET', '/api/favorites', user)).json();
    expect(list.map((p: { id: number }) => p.id).sort()).toEqual([a, b].sort());
    expect(list.find((p: { id: number }) => p.id === a)).toMatchObject({
      id: a,
      priceCents: 499,
      stock: 0,
      isFavorite: true,
      category: { slug: 'general' },
    });

    expect((await call('DELETE', `/api/favorites/${a}`, user)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/favorites/${a}`, user)).statusCode).toBe(204);
    expect((await call('GET', '/api/favorites', user)).json().map((p: { id: number }) => p.id)).toEqual([b]);
    expect(await eventTypes(user.id)).toEqual(['favorite_add', 'favorite_add', 'favorite_remove']);
  });

  it('keeps each user’s favorites apart', async () => {
    const [one, two] = [await createUser(t.db), await createUser(t.db)];
    const p = await createProduct(t.db);
    await call('PUT', `/api/favorites/${p}`, one);
    expect((await call('GET', '/api/favorites', two)).json()).toEqual([]);
    await call('DELETE', `/api/favorites/${p}`, two);
    expect((await call('GET', '/api/favorites', one)).json()).toHaveLength(1);
  });

  it('answers 404 for an unknown product and 422 for a malformed id, changing nothing', async () => {
    const user = await createUser(t.db);
    const unknown = await call('PUT', '/api/favorites/999999', user);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('not_found');
    for (const id of ['abc', '0', '-1', '1.5', '99999999999']) {
      expect((await call('PUT', `/api/favorites/${id}`, user)).statusCode, id).toBe(422);
      expect((await call('DELETE', `/api/favorites/${id}`, user)).statusCode, id).toBe(422);
    }
    expect(
      await t.db.selectFrom('favorites').select('product_id').where('user_id', '=', user.id).execute(),
    ).toEqual([]);
    expect(await eventTypes(user.id)).toEqual([]);
  });

  it('survives concurrent adds of the same favorite over real parallel requests', async () => {
    const user = await createUser(t.db);
    const p = await createProduct(t.db);
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const put = () => fetch(`${base}/api/favorites/${p}`, { method: 'PUT', headers: user.headers });
    const replies = await Promise.all(Array.from({ length: 8 }, put));
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 204));
    expect((await call('GET', '/api/favorites', user)).json()).toHaveLength(1);
    expect(await eventTypes(user.id)).toEqual(['favorite_add']);
  });
});
