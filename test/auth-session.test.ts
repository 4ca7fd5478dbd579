import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

// GET /api/auth/session: who is signed in, 200 for guests too (decision 162).
describeEachDialect('GET /api/auth/session', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  it('answers a guest 200 with no user, where /api/me answers 401', async () => {
    const session = await t.app.inject({ method: 'GET', url: '/api/auth/session' });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual({ user: null });
    expect((await t.app.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
  });

  it('answers the signed-in user, the same as /api/me, and a guest again after logout', async () => {
    const user = await createUser(t.db);
    const session = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: user.headers });
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: user.headers });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual({ user: me.json() });
    expect(session.json().user).toMatchObject({ id: user.id, username: user.username });
    expect(session.json().user).not.toHaveProperty('passwordHash');

    await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: user.headers });
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: user.headers });
    expect(after.json()).toEqual({ user: null });
  });
});
