import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { countHit } from '../src/server/http/rate-limit.ts';
import { createUser, testConfig } from './support/app.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';

describeEachDialect('rate limits shared through the database', (dialect) => {
  let database: TestDatabase;
  let apps: FastifyInstance[];

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    // Two app instances on one database, as behind a load balancer.
    const config = testConfig({ DATABASE_URL: database.url, AUTH_RATE_LIMIT_PER_MINUTE: '4' });
    apps = await Promise.all([buildApp({ config, db: database.db }), buildApp({ config, db: database.db })]);
    await Promise.all(apps.map((app) => app.ready()));
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await database.drop();
  });

  it('counts a client’s login attempts on every instance against one limit', async () => {
    const user = await createUser(database.db);
    const attempt = (i: number, remoteAddress = '10.0.0.1') =>
      apps[i % 2].inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress,
        payload: { username: user.username, password: 'wrong-password' },
      });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt(i)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    const limited = await attempt(6);
    expect(limited.json()).toMatchObject({ code: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another client has its own budget.
    expect((await attempt(7, '10.0.0.2')).statusCode).toBe(401);
  });

  it('never loses a hit when many arrive at once, and starts a new window when one ends', async () => {
    const key = `race-${dialect}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => countHit(database.db, key, 60_000)));
    expect(Math.max(...results.map((r) => r.current))).toBe(20);
    const row = await database.db
      .selectFrom('rate_limits')
      .select('hits')
      .where('bucket_key', '=', key)
      .executeTakeFirstOrThrow();
    expect(Number(row.hits)).toBe(20);

    const short = `window-${dialect}`;
    expect((await countHit(database.db, short, 150)).current).toBe(1);
    expect((await countHit(database.db, short, 150)).current).toBe(2);
    await sleep(200);
    const next = await countHit(database.db, short, 150);
    expect(next.current).toBe(1);
    expect(next.ttl).toBeGreaterThan(0);
    expect(next.ttl).toBeLessThanOrEqual(150);
  });
});
