import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AppError } from '../src/server/app-error.ts';
import { runCli } from '../src/server/cli/main.ts';
import { ACCOUNT_FAILURE_LIMIT } from '../src/server/modules/accounts/login-throttle.ts';
import { isCommonPassword } from '../src/server/modules/accounts/password-policy.ts';
import { ensureAdmin } from '../src/server/modules/accounts/service.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';
import { bearer, registration } from './support/registration.ts';

/** Issue 18, "Accounts": password rules, re-authentication and per-account login throttling. */

// The e-mail's local part differs from the username, so each password rule is tested on its own.
const newUser = (overrides: Record<string, unknown> = {}) => registration('guard', overrides, 'mail.');

it('ships the 10,000 most common passwords and compares them case-insensitively', () => {
  for (const common of ['password', '12345678', 'qwertyuiop', 'iloveyou', 'PassWord', 'Sunshine'])
    expect(isCommonPassword(common), common).toBe(true);
  expect(isCommonPassword('a-long-password')).toBe(false);
  expect(isCommonPassword('correct-horse-battery')).toBe(false);
});

describeEachDialect('account security', (dialect) => {
  let t: TestApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'cartwise-sec-'));
  beforeAll(async () => {
    t = await createTestApp(dialect, { DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const register = (body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/auth/register', payload: body });
  const login = (username: string, password: string, remoteAddress = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username, password } });
  const patchMe = (token: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PATCH', url: '/api/me', headers: bearer(token), payload });
  const usersNamed = (username: string) =>
    t.db.selectFrom('users').select('id').where('username_key', '=', username.toLowerCase()).execute();

  it('register refuses common, self-naming and one-character passwords with 422 weak_password', async () => {
    const body = newUser();
    const weak = [
      'password',
      '12345678',
      'PASSWORD1',
      ' '.repeat(8),
      'zzzzzzzzzzzz',
      body.username,
      `my-${body.username.toUpperCase()}-pw`,
      `xx${body.email.split('@')[0]}`,
    ];
    for (const password of weak) {
      const res = await register({ ...body, password });
      expect(res.statusCode, password).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'weak_password', errors: [{ field: 'password' }] });
    }
    expect(await usersNamed(body.username)).toEqual([]);
    // Length only otherwise: no composition rules.
    expect((await register({ ...body, password: 'plain lowercase words' })).statusCode).toBe(201);
  });

  it('a password change is checked against the same rules, with the account’s own names', async () => {
    const body = newUser();
    const { token } = (await register(body)).json();
    for (const password of ['letmein1', body.username, 'q'.repeat(20)]) {
      const res = await patchMe(token, { password, currentPassword: body.password });
      expect(res.statusCode, password).toBe(422);
      expect(res.json().code).toBe('weak_password');
    }
    // Against the new e-mail when both change at once.
    const res = await patchMe(token, {
      email: 'fresh.mailbox@example.com',
      password: 'my fresh.mailbox secret',
      currentPassword: body.password,
    });
    expect(res.json().code).toBe('weak_password');
    expect((await login(body.username, body.password)).statusCode).toBe(200);
  });

  it('create-admin refuses a weak password (service and command), creating nobody', async () => {
    await expect(ensureAdmin(t.db, { username: 'weak_boss', password: 'football' })).rejects.toMatchObject({
      code: 'weak_password',
    } satisfies Partial<AppError>);
    process.env.DATABASE_URL = t.url;
    process.env.DATA_DIR = dataDir;
    process.env.JWT_SECRET = t.config.JWT_SECRET;
    const lines: string[] = [];
    const write = (...a: unknown[]) => void lines.push(a.join(' '));
    const out = { log: write, error: write };
    expect(await runCli(['create-admin', '--username', 'weak_boss', '--password', 'weak_boss!'], out)).toBe(
      2,
    );
    expect(lines.join('\n')).toMatch(/password: .*username/);
    expect(await usersNamed('weak_boss')).toEqual([]);
  });

  it('a new password or e-mail needs the current password: 403 current_password_required, nothing changes', async () => {
    const body = newUser();
    const { token, user } = (await register(body)).json();
    const attempts = [
      { password: 'another-long-password' },
      { password: 'another-long-password', currentPassword: 'not-my-password' },
      { email: 'thief@example.com' },
      { email: 'thief@example.com', city: 'Elsewhere', currentPassword: '' },
      { email: 'thief@example.com', currentPassword: 'not-my-password' },
    ];
    for (const payload of attempts) {
      const res = await patchMe(token, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(403);
      expect(res.json().code).toBe('current_password_required');
    }
    const me = (await t.app.inject({ url: '/api/me', headers: bearer(token) })).json();
    expect(me).toEqual(user);
    expect((await login(body.username, body.password)).statusCode).toBe(200);

    // Other fields, and the e-mail it already has, need no password.
    const city = await patchMe(token, { city: 'Paris', email: body.email.toUpperCase() });
    expect(city.statusCode).toBe(200);
    const email = await patchMe(token, { email: 'owner.new@example.com', currentPassword: body.password });
    expect(email.statusCode).toBe(200);
    expect(email.json().email).toBe('owner.new@example.com');
  });

  it('DELETE /api/me needs { password }: 403 without it or with a wrong one, and the account stays', async () => {
    const body = newUser();
    const { token } = (await register(body)).json();
    for (const payload of [undefined, {}, { password: 'not-my-password' }]) {
      const res = await t.app.inject({ method: 'DELETE', url: '/api/me', headers: bearer(token), payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(403);
      expect(res.json().code).toBe('current_password_required');
    }
    expect(await usersNamed(body.username)).toHaveLength(1);
    expect((await t.app.inject({ url: '/api/me', headers: bearer(token) })).statusCode).toBe(200);
    const res = await t.app.inject({
      method: 'DELETE',
      url: '/api/me',
      headers: bearer(token),
      payload: { password: body.password },
    });
    expect(res.statusCode).toBe(204);
    expect(await usersNamed(body.username)).toEqual([]);
  });

  it('locks an account after 10 failed logins from any addresses, also for the right password, until the window ends', async () => {
    const body = newUser();
    await register(body);
    const bystander = newUser();
    await register(bystander);
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) {
      expect((await login(body.username, 'wrong-password', `10.1.0.${i + 1}`)).statusCode).toBe(401);
    }
    for (const [password, address] of [
      [body.password, '10.2.0.1'],
      ['wrong-password', '10.2.0.2'],
    ]) {
      const res = await login(body.username.toUpperCase(), password, address);
      expect(res.statusCode).toBe(429);
      expect(res.json().code).toBe('rate_limited');
    }
    expect((await login(bystander.username, bystander.password, '10.1.0.1')).statusCode).toBe(200);

    // The window ends: the right password works again.
    await t.db
      .updateTable('rate_limits')
      .set({ window_ends_at: Date.now() - 1 })
      .where('bucket_key', 'like', 'login-account:%')
      .execute();
    expect((await login(body.username, body.password, '10.2.0.3')).statusCode).toBe(200);
  });

  it('successful logins do not count, and racing guesses cannot pass the limit together', async () => {
    const body = newUser();
    await register(body);
    for (let i = 0; i < 15; i++) expect((await login(body.username, body.password)).statusCode).toBe(200);
    const guesses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login(body.username, `guess-${i}-password`, `10.3.0.${i + 1}`)),
    );
    const statuses = guesses.map((r) => r.statusCode);
    // Never more checked guesses than the limit (MySQL may refuse some early: each counts first).
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(ACCOUNT_FAILURE_LIMIT);
    expect(statuses.filter((s) => s === 401 || s === 429)).toHaveLength(30);
    expect((await login(body.username, body.password)).statusCode).toBe(429);
  });

  it('wrong current passwords count against the same account limit', async () => {
    const body = newUser();
    const { token } = (await register(body)).json();
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) {
      const res = await patchMe(token, { password: 'guessed-new-password', currentPassword: `guess-${i}` });
      expect(res.statusCode).toBe(403);
    }
    expect((await login(body.username, body.password)).statusCode).toBe(429);
  });
});

describeEachDialect('username availability rate limit', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { AUTH_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 rate_limited past AUTH_RATE_LIMIT_PER_MINUTE per address', async () => {
    const check = (remoteAddress: string) =>
      t.app.inject({ url: '/api/auth/username-available?username=someone', remoteAddress });
    for (let i = 0; i < 3; i++) expect((await check('10.9.0.1')).statusCode).toBe(200);
    const limited = await check('10.9.0.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    expect((await check('10.9.0.2')).statusCode).toBe(200);
  });
});
