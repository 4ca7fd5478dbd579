import type { FastifyInstance } from 'fastify';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { ConfigError, loadConfig } from '../src/server/config.ts';
import {
  cookieOptions,
  GUEST_COOKIE,
  guestIdOf,
  requireUser,
  SESSION_COOKIE,
} from '../src/server/http/auth.ts';
import { issueSession, revokeSession } from '../src/server/modules/accounts/sessions.ts';
import { createUser, TEST_JWT_SECRET, testConfig } from './support/app.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';

const FOREIGN = 'https://evil.example';

/** The real app plus probe routes that exercise the cross-cutting plugins. */
async function probeApp(database: TestDatabase, env: Record<string, string> = {}) {
  const config = testConfig({ DATABASE_URL: database.url, ...env });
  const app = await buildApp({ config, db: database.db });
  const state = { writes: 0 };
  app.get('/probe/me', async (request) => requireUser(request));
  app.post('/probe/write', async () => {
    state.writes += 1;
    return { writes: state.writes };
  });
  app.get('/probe/item/:id', async (request) => request.params);
  app.get('/probe/guest', async (request, reply) => ({ guest: guestIdOf(request, reply, config) }));
  app.get('/probe/crash', async () => {
    throw new Error('secret internals at /srv/cartwise/db.ts:42');
  });
  await app.ready();
  return { app, state, config };
}

describeEachDialect('hardening', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let state: { writes: number };
  let user: Awaited<ReturnType<typeof createUser>>;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    ({ app, state } = await probeApp(database));
    user = await createUser(database.db);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('sends security headers and a strict content-security policy', async () => {
    const res = await app.inject('/health/live');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('relaxes the policy for Swagger UI only', async () => {
    const docs = await app.inject('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(String(docs.headers['content-security-policy'])).toContain("style-src 'self' 'unsafe-inline'");
    const api = await app.inject('/openapi.json');
    expect(String(api.headers['content-security-policy'])).not.toContain('unsafe-inline');
  });

  it('sends no CORS headers when CORS_ORIGIN is not configured', async () => {
    const res = await app.inject({ url: '/health/live', headers: { origin: 'https://shop.example' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/probe/write',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.statusCode).toBe(404);
  });

  it('refuses cookie-authenticated unsafe requests from another origin, and changes nothing', async () => {
    const before = state.writes;
    for (const origin of [FOREIGN, 'null', 'http://localhost:9999']) {
      const res = await app.inject({
        method: 'POST',
        url: '/probe/write',
        headers: { origin },
        cookies: { [SESSION_COOKIE]: user.token },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('cross_origin_refused');
    }
    const noOrigin = await app.inject({
      method: 'POST',
      url: '/probe/write',
      headers: { 'sec-fetch-site': 'cross-site' },
      cookies: { [GUEST_COOKIE]: crypto.randomUUID() },
    });
    expect(noOrigin.statusCode).toBe(403);
    expect(state.writes).toBe(before);
  });

  it('lets same-origin, origin-less and bearer-token unsafe requests through', async () => {
    const before = state.writes;
    const sameOrigin = await app.inject({
      method: 'POST',
      url: '/probe/write',
      headers: { origin: 'http://localhost', host: 'localhost' },
      cookies: { [SESSION_COOKIE]: user.token },
    });
    expect(sameOrigin.statusCode).toBe(200);
    const bearer = await app.inject({
      method: 'POST',
      url: '/probe/write',
      headers: { origin: FOREIGN, ...user.headers },
    });
    expect(bearer.statusCode).toBe(200);
    const cli = await app.inject({
      method: 'POST',
      url: '/probe/write',
      cookies: { [SESSION_COOKIE]: user.token },
    });
    expect(cli.statusCode).toBe(200);
    const safe = await app.inject({
      url: '/probe/me',
      headers: { origin: FOREIGN },
      cookies: { [SESSION_COOKIE]: user.token },
    });
    expect(safe.statusCode).toBe(200);
    expect(state.writes).toBe(before + 3);
  });

  it('never shows a stack trace or internal message in a 5xx', async () => {
    const res = await app.inject('/probe/crash');
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).not.toContain('secret internals');
    expect(res.body).not.toContain('.ts:');
    expect(res.json()).toMatchObject({ status: 500, code: 'internal_error' });
    expect(res.json().stack).toBeUndefined();
  });

  it('answers URLs the router rejects with problem+json', async () => {
    const long = await app.inject(`/probe/item/${'a'.repeat(500)}`);
    expect(long.statusCode).toBe(414);
    expect(long.headers['content-type']).toContain('application/problem+json');
    expect(long.json().code).toBe('uri_too_long');
    const bad = await app.inject('/probe/item/%E0%A4%A');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('bad_url');
  });

  describe('session tokens', () => {
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const me = (token: string) =>
      app.inject({ url: '/probe/me', headers: { authorization: `Bearer ${token}` } });

    it('accepts a valid token, by header and by cookie', async () => {
      expect((await me(user.token)).json()).toMatchObject({ userId: user.id, role: 'customer' });
      const byCookie = await app.inject({ url: '/probe/me', cookies: { [SESSION_COOKIE]: user.token } });
      expect(byCookie.json().userId).toBe(user.id);
    });

    it('rejects alg none, another key, another algorithm, tampering and expiry with 401', async () => {
      const sid = JSON.parse(Buffer.from(user.token.split('.')[1], 'base64url').toString()).sid as string;
      const claims = { sid };
      const none = new UnsecuredJWT(claims).setSubject(String(user.id)).setExpirationTime('1h').encode();
      const otherKey = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(user.id))
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('another-secret-that-is-also-long-enough-000000'));
      const hs512 = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS512' })
        .setSubject(String(user.id))
        .setExpirationTime('1h')
        .sign(key);
      const expired = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(user.id))
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(key);
      const [h, , s] = user.token.split('.');
      const admin = await createUser(database.db, { role: 'admin' });
      const swappedSubject = `${h}.${Buffer.from(JSON.stringify({ sid, sub: String(admin.id) })).toString('base64url')}.${s}`;
      // A correctly signed token naming a session that belongs to someone else.
      const foreignSession = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(admin.id))
        .setExpirationTime('1h')
        .sign(key);
      for (const token of [
        none,
        otherKey,
        hs512,
        expired,
        swappedSubject,
        foreignSession,
        'garbage',
        `${h}..`,
      ]) {
        const res = await me(token);
        expect(res.statusCode, token).toBe(401);
        expect(res.json().code).toBe('unauthorized');
      }
    });

    it('rejects a revoked session', async () => {
      const { token } = await issueSession(database.db, TEST_JWT_SECRET, user.id, 1);
      expect((await me(token)).statusCode).toBe(200);
      const sid = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid as string;
      await revokeSession(database.db, sid);
      expect((await me(token)).statusCode).toBe(401);
    });
  });
});

describeEachDialect('cookies and CORS by configuration', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(() => database.drop());

  it('sets HttpOnly, SameSite=Lax cookies, Secure only in production', async () => {
    for (const [env, secure] of [
      [{}, false],
      [{ NODE_ENV: 'production' }, true],
    ] as const) {
      const { app } = await probeApp(database, env);
      const res = await app.inject('/probe/guest');
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toContain(`${GUEST_COOKIE}=${res.json().guest}`);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Lax');
      expect(cookie.includes('Secure')).toBe(secure);
      if (secure) {
        expect(String(res.headers['strict-transport-security'])).toContain('max-age=');
        expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
      }
      await app.close();
    }
    const options = cookieOptions(testConfig({ NODE_ENV: 'production' }), 60);
    expect(options).toMatchObject({ httpOnly: true, sameSite: 'lax', secure: true, path: '/' });
  });

  it('answers CORS for configured origins only, and lets them write with cookies', async () => {
    const allowed = 'https://shop.example';
    const { app, state } = await probeApp(database, { CORS_ORIGIN: `${allowed}, https://admin.example/` });
    const user = await createUser(database.db);
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/probe/write',
      headers: {
        origin: allowed,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(allowed);
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('POST');

    const write = await app.inject({
      method: 'POST',
      url: '/probe/write',
      headers: { origin: 'https://admin.example' },
      cookies: { [SESSION_COOKIE]: user.token },
    });
    expect(write.statusCode).toBe(200);
    expect(write.headers['access-control-allow-origin']).toBe('https://admin.example');

    const other = await app.inject({
      method: 'POST',
      url: '/probe/write',
      headers: { origin: FOREIGN },
      cookies: { [SESSION_COOKIE]: user.token },
    });
    expect(other.statusCode).toBe(403);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(state.writes).toBe(1);
    await app.close();
  });
});

describe('configuration in production', () => {
  it('refuses to start without a JWT secret, or with a short one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: '' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    const ok = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      DATABASE_URL: 'sqlite::memory:',
    });
    expect(ok.JWT_SECRET).toBe('x'.repeat(40));
  });
});
