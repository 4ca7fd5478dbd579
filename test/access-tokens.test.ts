import { afterAll, beforeAll, expect, it } from 'vitest';
import { createProduct, createTestApp, createUser, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

/** Personal access tokens for outside agents (issue 15's MCP section, decision 175). */

describeEachDialect('personal access tokens', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  type User = Awaited<ReturnType<typeof createUser>>;
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
  const mint = (user: User, body: Record<string, unknown> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/me/tokens',
      headers: user.headers,
      payload: {
        name: 'My agent',
        scope: 'shop',
        expiresInDays: 30,
        currentPassword: user.password,
        ...body,
      },
    });
  async function secretFor(user: User, scope: 'read' | 'shop') {
    const res = await mint(user, { scope });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().secret as string;
  }

  it('creates a token with name, scope and expiry; shows the secret once and stores only a hash', async () => {
    const user = await createUser(t.db);
    const res = await mint(user, { name: ' Claude desktop ', scope: 'read', expiresInDays: 7 });
    expect(res.statusCode).toBe(201);
    const { token, secret } = res.json();
    expect(secret).toMatch(/^cw_pat_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ name: 'Claude desktop', scope: 'read', lastUsedAt: null });
    expect(secret.startsWith(token.prefix)).toBe(true);
    const days = (Date.parse(token.expiresAt) - Date.parse(token.createdAt)) / 86_400_000;
    expect(days).toBe(7);

    const list = await t.app.inject({ url: '/api/me/tokens', headers: user.headers });
    expect(list.json()).toEqual([token]);
    expect(list.body).not.toContain(secret);
    const stored = await t.db
      .selectFrom('personal_access_tokens')
      .selectAll()
      .where('id', '=', token.id)
      .execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(secret.slice(token.prefix.length));

    // Used as a bearer token, it signs the request in as its user and notes when it was used.
    const me = await t.app.inject({ url: '/api/me', headers: bearer(secret) });
    expect(me.statusCode).toBe(200);
    expect(me.json().id).toBe(user.id);
    const after = (await t.app.inject({ url: '/api/me/tokens', headers: user.headers })).json();
    expect(after[0].lastUsedAt).not.toBeNull();
  });

  it('creating needs the current password; bad bodies are 422 and create nothing', async () => {
    const user = await createUser(t.db);
    for (const currentPassword of [undefined, '', 'not-my-password']) {
      const res = await mint(user, { currentPassword });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('current_password_required');
    }
    for (const bad of [
      { scope: 'admin' },
      { expiresInDays: 0 },
      { expiresInDays: 366 },
      { name: '  ' },
      { extra: 1 },
    ]) {
      const res = await mint(user, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(422);
    }
    expect((await t.app.inject({ url: '/api/me/tokens', headers: user.headers })).json()).toEqual([]);
    expect((await t.app.inject({ method: 'POST', url: '/api/me/tokens', payload: {} })).statusCode).toBe(401);
  });

  it('a shop token shops; a read token only reads, and its writes change nothing', async () => {
    const user = await createUser(t.db);
    const productId = await createProduct(t.db, { stock: 5 });
    const shop = await secretFor(user, 'shop');
    const read = await secretFor(user, 'read');
    const add = (secret: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/cart/items',
        headers: bearer(secret),
        payload: { productId, quantity: 2 },
      });
    expect((await add(shop)).statusCode).toBe(200);
    const refused = await add(read);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('insufficient_scope');
    const cart = await t.app.inject({ url: '/api/cart', headers: bearer(read) });
    expect(cart.statusCode).toBe(200);
    expect(cart.json().order.lines).toEqual([expect.objectContaining({ productId, quantity: 2 })]);
    const favorite = await t.app.inject({
      method: 'PUT',
      url: `/api/favorites/${productId}`,
      headers: bearer(read),
    });
    expect(favorite.statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/favorites', headers: user.headers })).json()).toEqual([]);
  });

  it('never changes the password or e-mail, deletes the account, manages tokens or acts as admin', async () => {
    const user = await createUser(t.db);
    const secret = await secretFor(user, 'shop');
    const asToken = (method: 'PATCH' | 'DELETE' | 'GET' | 'POST', url: string, payload?: unknown) =>
      t.app.inject({ method, url, headers: bearer(secret), payload: payload as Record<string, unknown> });
    const forbidden = [
      await asToken('PATCH', '/api/me', { password: 'a-whole-new-password', currentPassword: user.password }),
      await asToken('PATCH', '/api/me', { email: 'agent@example.com', currentPassword: user.password }),
      await asToken('DELETE', '/api/me', { password: user.password }),
      await asToken('GET', '/api/me/tokens'),
      await asToken('POST', '/api/me/tokens', {
        name: 'x',
        scope: 'shop',
        expiresInDays: 1,
        currentPassword: user.password,
      }),
    ];
    for (const res of forbidden) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().code).toBe('session_required');
    }
    const row = await t.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.email).toBe(`${user.username}@example.com`);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: user.username, password: user.password },
    });
    expect(login.statusCode).toBe(200);
    // Other profile fields are the shopper's to let an agent change.
    expect((await asToken('PATCH', '/api/me', { city: 'Agentville' })).json().city).toBe('Agentville');

    const admin = await createUser(t.db, { role: 'admin' });
    const adminSecret = await secretFor(admin, 'shop');
    expect((await t.app.inject({ url: '/api/admin/products', headers: admin.headers })).statusCode).toBe(200);
    const asAdminToken = await t.app.inject({ url: '/api/admin/products', headers: bearer(adminSecret) });
    expect(asAdminToken.statusCode).toBe(403);
  });

  it('revoked, expired, unknown and another user’s tokens: 401, and revoking another’s is 404', async () => {
    const user = await createUser(t.db);
    const other = await createUser(t.db);
    const revoked = (await mint(user)).json();
    const expired = (await mint(user)).json();
    const kept = (await mint(user)).json();
    const foreign = (await mint(other)).json();

    const del = (owner: User, id: number) =>
      t.app.inject({ method: 'DELETE', url: `/api/me/tokens/${id}`, headers: owner.headers });
    expect((await del(user, foreign.token.id)).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/me', headers: bearer(foreign.secret) })).statusCode).toBe(200);
    expect((await del(user, revoked.token.id)).statusCode).toBe(204);
    expect((await del(user, revoked.token.id)).statusCode).toBe(404);
    await t.db
      .updateTable('personal_access_tokens')
      .set({ expires_at: Date.now() - 1 })
      .where('id', '=', expired.token.id)
      .execute();

    for (const secret of [
      revoked.secret,
      expired.secret,
      `${kept.secret.slice(0, -2)}xx`,
      'cw_pat_nonsense',
    ]) {
      expect((await t.app.inject({ url: '/api/me', headers: bearer(secret) })).statusCode).toBe(401);
    }
    expect((await t.app.inject({ url: '/api/me', headers: bearer(kept.secret) })).statusCode).toBe(200);
    const listed = (await t.app.inject({ url: '/api/me/tokens', headers: user.headers })).json();
    expect(listed.map((x: { id: number }) => x.id)).toEqual([kept.token.id]);
    expect((await del(user, 0)).statusCode).toBe(422);
  });

  it('allows at most 20 live tokens per user (409 too_many_tokens)', async () => {
    const user = await createUser(t.db);
    for (let i = 0; i < 20; i++) expect((await mint(user, { name: `agent ${i}` })).statusCode).toBe(201);
    const res = await mint(user, { name: 'one too many' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('too_many_tokens');
  });
});
