import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

const attempt = (t: TestApp, forwardedFor: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { 'x-forwarded-for': forwardedFor },
    payload: { username: 'nobody', password: 'wrong-password' },
  });

describeEachDialect('client address behind proxies', (dialect) => {
  let direct: TestApp;
  let proxied: TestApp;
  beforeAll(async () => {
    direct = await createTestApp(dialect, { AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    proxied = await createTestApp(dialect, { AUTH_RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY_HOPS: '1' });
  });
  afterAll(async () => {
    await direct.close();
    await proxied.close();
  });

  it('ignores a forged X-Forwarded-For by default, so the login limit cannot be dodged', async () => {
    const codes = [];
    for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3'])
      codes.push((await attempt(direct, ip)).statusCode);
    expect(codes).toEqual([401, 401, 429]);
  });

  it('uses the forwarded address when a proxy hop is configured', async () => {
    const codes = [];
    for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3'])
      codes.push((await attempt(proxied, ip)).statusCode);
    expect(codes).toEqual([401, 401, 401]);
  });
});
