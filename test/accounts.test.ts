import fc from 'fast-check';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/server/config.ts';
import { issueSession } from '../src/server/modules/accounts/sessions.ts';
import { createProduct, createTestApp, createUser, TEST_JWT_SECRET, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';
import { bearer, registration } from './support/registration.ts';

const newUser = (overrides: Record<string, unknown> = {}) => registration('shopper', overrides);

describeEachDialect('accounts', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  const register = (body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/auth/register', payload: body });

  it('registers, signs in with the token and the cookie, reads and updates the profile', async () => {
    const body = newUser({ firstName: '  Ada  ' });
    const res = await register(body);
    expect(res.statusCode).toBe(201);
    const { user, token } = res.json();
    expect(user).toMatchObject({
      username: body.username,
      email: body.email,
      firstName: 'Ada',
      role: 'customer',
    });
    expect(user).not.toHaveProperty('passwordHash');
    expect(new Date(user.createdAt).toISOString()).toBe(user.createdAt);
    const cookie = res.cookies.find((c) => c.name === 'cartwise_session');
    expect(cookie).toMatchObject({ value: token, httpOnly: true, path: '/' });

    const me = await t.app.inject({ url: '/api/me', headers: bearer(token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual(user);
    const viaCookie = await t.app.inject({ url: '/api/me', cookies: { cartwise_session: token } });
    expect(viaCookie.json().id).toBe(user.id);

    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: bearer(token),
      payload: { city: ' Paris ', country: 'France' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ city: 'Paris', country: 'France', firstName: 'Ada' });
  });

  it('logs in with JSON and with a form-encoded body; the username is case-insensitive', async () => {
    const body = newUser();
    await register(body);
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: body.username.toUpperCase(), password: body.password },
    });
    expect(json.statusCode).toBe(200);
    const answer = json.json();
    expect(answer.user.username).toBe(body.username);
    expect(Date.parse(answer.expiresAt)).toBeGreaterThan(Date.now());
    expect(answer.access_token).toBe(answer.token);
    expect(json.cookies.find((c) => c.name === 'cartwise_session')?.value).toBe(answer.token);

    const form = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ username: body.username, password: body.password }).toString(),
    });
    expect(form.statusCode).toBe(200);
    const me = await t.app.inject({ url: '/api/me', headers: bearer(form.json().token) });
    expect(me.json().username).toBe(body.username);
  });

  it('answers unknown user and wrong password with the same 401', async () => {
    const body = newUser();
    await register(body);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: body.username, password: 'not-the-password' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody_here_at_all', password: 'not-the-password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (r: typeof wrong) => ({ ...r.json(), instance: undefined });
    expect(strip(wrong)).toEqual(strip(unknown));
    expect(wrong.json().code).toBe('invalid_credentials');
  });

  it('logout revokes the session and clears the cookie', async () => {
    const res = await register(newUser());
    const { token } = res.json();
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(token) });
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((c) => c.name === 'cartwise_session');
    expect(cleared?.value).toBe('');
    const me = await t.app.inject({ url: '/api/me', headers: bearer(token) });
    expect(me.statusCode).toBe(401);
    expect(me.json().code).toBe('unauthorized');
  });

  it('rejects a duplicate username in another case and a duplicate email with 409', async () => {
    const body = newUser();
    expect((await register(body)).statusCode).toBe(201);
    const sameName = await register(
      newUser({ username: body.username.toUpperCase(), email: `x${body.email}` }),
    );
    expect(sameName.statusCode).toBe(409);
    expect(sameName.json().code).toBe('username_taken');
    const sameEmail = await register(newUser({ email: body.email.toUpperCase() }));
    expect(sameEmail.statusCode).toBe(409);
    expect(sameEmail.json().code).toBe('email_taken');

    const available = await t.app.inject({
      url: `/api/auth/username-available?username=${body.username.toUpperCase()}`,
    });
    expect(available.json()).toEqual({ available: false });
    const free = await t.app.inject({ url: '/api/auth/username-available?username=never_used_name' });
    expect(free.json()).toEqual({ available: true });
    const bad = await t.app.inject({ url: '/api/auth/username-available?username=a' });
    expect(bad.statusCode).toBe(422);
  });

  const invalid: [string, unknown][] = [
    ['username', 'ab'],
    ['username', 'x'.repeat(33)],
    ['username', 'has space'],
    ['username', 'émile'],
    ['password', 'short77'],
    ['password', 'p'.repeat(129)],
    ['email', 'not-an-email'],
    ['email', ''],
    ['firstName', '   '],
    ['firstName', 'n'.repeat(101)],
    ['lastName', ''],
    ['country', '\t '],
    ['city', 'c'.repeat(101)],
    ['phone', 'call me'],
    ['phone', ''],
  ];
  it.each(invalid)('register rejects a bad %s (%j) with 422 naming it', async (field, value) => {
    const res = await register(newUser({ [field]: value }));
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json();
    expect(problem.code).toBe('validation_failed');
    expect(new Set(problem.errors.map((e: { field: string }) => e.field))).toEqual(new Set([field]));
  });

  it('register accepts the boundaries of every rule', async () => {
    const res = await register(
      newUser({
        username: `a.-_${Math.random().toString(36).slice(2, 5)}`.slice(0, 32),
        password: 'pq'.repeat(64),
        firstName: 'n'.repeat(100),
        city: 'c',
      }),
    );
    expect(res.statusCode).toBe(201);
    const three = await register(
      newUser({ username: `z${Math.random().toString(36).slice(2, 4)}`.padEnd(3, '9') }),
    );
    expect(three.statusCode).toBe(201);
    expect((await register(newUser({ password: 'pqrstuvw' }))).statusCode).toBe(201);
  });

  it('answers any register or profile body with 201/200, 409 or 422, never a 5xx (fuzzed)', async () => {
    const { token } = (await register(newUser())).json();
    const anyValue = fc.oneof(
      fc.string({ maxLength: 140 }),
      fc.constantFrom('', '   ', 'a@b.co', '+1 555 0100', 'x'.repeat(300), '\u0000', '💥💥💥'),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 2 }),
    );
    const fields = ['username', 'password', 'email', 'firstName', 'lastName', 'phone', 'country', 'city'];
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...fields), anyValue), async (overrides) => {
        const res = await register(newUser(overrides));
        expect([201, 409, 422], res.body).toContain(res.statusCode);
        const patch = await t.app.inject({
          method: 'PATCH',
          url: '/api/me',
          headers: bearer(token),
          payload: overrides,
        });
        // 403: a new password or e-mail without the current password (re-authentication).
        expect([200, 403, 409, 422], patch.body).toContain(patch.statusCode);
      }),
      { numRuns: 60 },
    );
  });

  it('register requires every field', async () => {
    const { city: _city, ...rest } = newUser();
    const res = await register(rest);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe('city');
  });

  it('PATCH /api/me validates, refuses unknown fields, and a new password signs out other sessions', async () => {
    const body = newUser();
    const { token } = (await register(body)).json();
    const other = (
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: body.username, password: body.password },
      })
    ).json().token;

    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: bearer(token),
      payload: { email: 'nope' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe('email');
    const role = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: bearer(token),
      payload: { role: 'admin' },
    });
    expect(role.statusCode).toBe(422);

    const changed = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: bearer(token),
      payload: { password: 'a-new-long-password', currentPassword: body.password },
    });
    expect(changed.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/me', headers: bearer(token) })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/me', headers: bearer(other) })).statusCode).toBe(401);
    const oldLogin = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: body.username, password: body.password },
    });
    expect(oldLogin.statusCode).toBe(401);
    const newLogin = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: body.username, password: 'a-new-long-password' },
    });
    expect(newLogin.statusCode).toBe(200);
  });

  it('PATCH /api/me to an email someone else has is 409 email_taken', async () => {
    const a = newUser();
    await register(a);
    const { token } = (await register(newUser())).json();
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: bearer(token),
      payload: { email: a.email.toUpperCase(), currentPassword: 'a-long-password' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('email_taken');
  });

  it('DELETE /api/me removes the person and everything about them; the username is free again', async () => {
    const body = newUser();
    const { user, token } = (await register(body)).json();
    const productId = await createProduct(t.db);
    await t.db
      .insertInto('favorites')
      .values({ user_id: user.id, product_id: productId, created_at: 1 })
      .execute();
    const order = await t.db
      .insertInto('orders')
      .values({ user_id: user.id, status: 'CLOSED', created_at: 1, closed_at: 2, total_cents: 1000 })
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('order_lines')
      .values({
        order_id: Number(order.insertId),
        product_id: productId,
        quantity: 1,
        unit_price_cents: 1000,
      })
      .execute();
    await t.app.inject({ url: `/api/products/${productId}`, headers: bearer(token) });

    const res = await t.app.inject({
      method: 'DELETE',
      url: '/api/me',
      headers: bearer(token),
      payload: { password: body.password },
    });
    expect(res.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/me', headers: bearer(token) })).statusCode).toBe(401);
    for (const table of ['sessions', 'favorites', 'orders', 'events'] as const) {
      const rows = await t.db.selectFrom(table).selectAll().where('user_id', '=', user.id).execute();
      expect(rows, table).toHaveLength(0);
    }
    // The closed order stays for the shop's books, with nothing that points at the person.
    const kept = await t.db
      .selectFrom('orders')
      .select(['user_id', 'shipping_address'])
      .where('id', '=', Number(order.insertId))
      .execute();
    expect(kept).toEqual([{ user_id: null, shipping_address: null }]);
    expect(
      await t.db.selectFrom('order_lines').selectAll().where('product_id', '=', productId).execute(),
    ).toHaveLength(1);
    expect((await register(body)).statusCode).toBe(201);
  });

  it('guests get 401 on /api/me, before any body validation', async () => {
    expect((await t.app.inject({ url: '/api/me' })).statusCode).toBe(401);
    const patch = await t.app.inject({ method: 'PATCH', url: '/api/me', payload: { email: 'bad' } });
    expect(patch.statusCode).toBe(401);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/me' })).statusCode).toBe(401);
  });

  describe('tokens that must be refused', () => {
    it('tampered, foreign-key, expired, logged-out and deleted-user tokens all get 401', async () => {
      const user = await createUser(t.db);
      expect((await t.app.inject({ url: '/api/me', headers: user.headers })).statusCode).toBe(200);

      const [head, payload, signature] = user.token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: String(user.id + 1) })).toString(
        'base64url',
      );
      const tampered = `${head}.${forgedPayload}.${signature}`;
      const flipped = `${head}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;

      const otherKey = await new SignJWT({ sid: claims.sid })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(user.id))
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('another-secret-that-is-also-long-enough-000000'));

      // A session whose row and token both expired a second ago.
      const expired = await issueSession(t.db, TEST_JWT_SECRET, user.id, -1 / 86_400);
      // A token that is still valid by signature but whose session row has expired.
      const live = await issueSession(t.db, TEST_JWT_SECRET, user.id, 1);
      const sid = JSON.parse(Buffer.from(live.token.split('.')[1], 'base64url').toString()).sid;
      await t.db
        .updateTable('sessions')
        .set({ expires_at: Date.now() - 1000 })
        .where('id', '=', sid)
        .execute();

      for (const [label, token] of [
        ['tampered', tampered],
        ['bad signature', flipped],
        ['other key', otherKey],
        ['expired', expired.token],
        ['expired session row', live.token],
        ['garbage', 'not.a.jwt'],
      ]) {
        const res = await t.app.inject({ url: '/api/me', headers: bearer(token) });
        expect(res.statusCode, label).toBe(401);
      }

      const deleted = await createUser(t.db);
      await t.db.deleteFrom('users').where('id', '=', deleted.id).execute();
      expect((await t.app.inject({ url: '/api/me', headers: deleted.headers })).statusCode).toBe(401);
    });
  });

  it('answers an oversized body with 413 and a malformed one with 400, never 5xx', async () => {
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ ...newUser(), city: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('payload_too_large');
    const broken = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":',
    });
    expect(broken.statusCode).toBe(400);
  });

  it('registration races: 20 concurrent registrations of one username give one 201 and nineteen 409', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const username = `Racer_${Math.random().toString(36).slice(2, 8)}`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${address}/api/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          // Different case and different emails: only the username collides.
          body: JSON.stringify(
            newUser({
              username: i % 2 ? username.toLowerCase() : username.toUpperCase(),
              email: `racer${i}_${username}@example.com`,
            }),
          ),
        }).then(async (r) => ({ status: r.status, code: ((await r.json()) as { code?: string }).code })),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(answers.filter((a) => a.status === 409).every((a) => a.code === 'username_taken')).toBe(true);
    const rows = await t.db
      .selectFrom('users')
      .select('id')
      .where('username_key', '=', username.toLowerCase())
      .execute();
    expect(rows).toHaveLength(1);
  });
});

describeEachDialect('auth rate limit', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { AUTH_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('limits login and register attempts per client IP with 429 rate_limited', async () => {
    const attempt = (ip: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: ip,
        payload: { username: 'nobody', password: 'whatever-password' },
      });
    const first = await Promise.all([attempt('10.0.0.1'), attempt('10.0.0.1'), attempt('10.0.0.1')]);
    expect(first.map((r) => r.statusCode)).toEqual([401, 401, 401]);
    const limited = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      remoteAddress: '10.0.0.1',
      payload: newUser(),
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    expect((await attempt('10.0.0.2')).statusCode).toBe(401);
  });
});

describe('configuration', () => {
  it('refuses to start in production without JWT_SECRET', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'too-short' })).toThrow(ConfigError);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET).toBe(
      'x'.repeat(32),
    );
  });
});
