import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { createDomainEventBus, type DomainEventBus } from '../src/server/domain-events.ts';
import { metrics } from '../src/server/http/metrics.ts';
import { buildMlApp } from '../src/server/ml-app.ts';
import { testConfig } from './support/app.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';

const TOKEN = 'metrics-token-0123456789';

/** The value of one sample line in the Prometheus text format, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!(rest.startsWith('{') || rest.startsWith(' '))) continue;
    if (Object.entries(labels).every(([k, v]) => rest.includes(`${k}="${v}"`))) {
      return Number(rest.slice(rest.lastIndexOf(' ') + 1));
    }
  }
  return 0;
}

describeEachDialect('metrics', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let events: DomainEventBus;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    events = createDomainEventBus();
    app = await buildApp({
      config: testConfig({ DATABASE_URL: database.url, METRICS_TOKEN: TOKEN }),
      db: database.db,
      events,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const scrape = async () => {
    const res = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    return res.body;
  };

  it('wants the metrics token when one is configured', async () => {
    expect((await app.inject('/metrics')).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode,
    ).toBe(401);
  });

  it('times requests by route template, not by raw path', async () => {
    const before = await scrape();
    const labels = { route: '/health/live', method: 'GET', status_code: '200' };
    const count = sample(before, 'cartwise_http_request_duration_seconds_count', labels);
    for (let i = 0; i < 3; i++) await app.inject('/health/live');
    await app.inject('/api/no-such-thing/12345');
    const after = await scrape();
    expect(sample(after, 'cartwise_http_request_duration_seconds_count', labels)).toBe(count + 3);
    expect(after).toContain('route="unmatched"');
    expect(after).not.toContain('12345');
    expect(after).toContain('cartwise_process_cpu_seconds_total');
  });

  it('counts checkouts from the order.closed event and exposes the module counters', async () => {
    const before = await scrape();
    events.emit('order.closed', { userId: 1, orderId: 1, totalCents: 2_500 });
    events.emit('order.closed', { userId: 1, orderId: 2, totalCents: 500 });
    metrics.assistantReplies.inc({ engine: 'local' });
    metrics.assistantFallbacks.inc({ reason: 'timeout' });
    metrics.trainingJobs.inc({ status: 'done' });
    const after = await scrape();
    expect(sample(after, 'cartwise_checkouts_total')).toBe(sample(before, 'cartwise_checkouts_total') + 2);
    expect(sample(after, 'cartwise_checkout_revenue_cents_total')).toBe(
      sample(before, 'cartwise_checkout_revenue_cents_total') + 3_000,
    );
    const engine = { engine: 'local' };
    expect(sample(after, 'cartwise_assistant_replies_total', engine)).toBe(
      sample(before, 'cartwise_assistant_replies_total', engine) + 1,
    );
    expect(sample(after, 'cartwise_assistant_fallbacks_total', { reason: 'timeout' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(sample(after, 'cartwise_ml_training_jobs_total', { status: 'done' })).toBeGreaterThanOrEqual(1);
  });

  it('counts shop listing catch-ups and behaviour events written', async () => {
    const before = await scrape();
    // Tests read the catalog afresh for every listing (maximum age 0): one full read each.
    await app.inject('/api/products');
    await app.inject('/api/products?q=lamp');
    const after = await scrape();
    const full = { kind: 'full' };
    expect(sample(after, 'cartwise_shop_listing_refreshes_total', full)).toBe(
      sample(before, 'cartwise_shop_listing_refreshes_total', full) + 2,
    );
    const written = { outcome: 'written' };
    expect(sample(after, 'cartwise_behaviour_events_total', written)).toBe(
      sample(before, 'cartwise_behaviour_events_total', written) + 1, // the search
    );
  });

  it('stops listening to the bus when the app closes', async () => {
    // Other modules (the ML prediction refresh) listen too: compare with the count before the app.
    const before = events.listenerCount('order.closed');
    const other = await buildApp({
      config: testConfig({ DATABASE_URL: database.url }),
      db: database.db,
      events,
    });
    await other.ready();
    expect(events.listenerCount('order.closed')).toBeGreaterThan(before);
    await other.close();
    expect(events.listenerCount('order.closed')).toBe(before);
  });

  it('is served by the standalone ML service too', async () => {
    const ml = await buildMlApp({ config: testConfig({ DATABASE_URL: database.url }), db: database.db });
    await ml.ready();
    await ml.inject('/health/live');
    const res = await ml.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(
      sample(res.body, 'cartwise_http_request_duration_seconds_count', { route: '/health/live' }),
    ).toBeGreaterThan(0);
    await ml.close();
  });
});
