import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Config } from '../config.ts';
import type { DomainEventBus } from '../domain-events.ts';
import { AppError, unauthorized } from '../app-error.ts';

/**
 * One Prometheus registry per process. Modules import `metrics` and count what only they know
 * (e.g. `metrics.assistantReplies.inc({ engine: 'local' })`); request durations and checkouts are
 * counted here, from the request lifecycle and the `order.closed` domain event.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'cartwise_' });

export const metrics = {
  httpRequestDuration: new Histogram({
    name: 'cartwise_http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  }),
  checkouts: new Counter({
    name: 'cartwise_checkouts_total',
    help: 'Orders closed by checkout',
    registers: [registry],
  }),
  checkoutRevenueCents: new Counter({
    name: 'cartwise_checkout_revenue_cents_total',
    help: 'Sum of the totals of closed orders, in cents',
    registers: [registry],
  }),
  assistantReplies: new Counter({
    name: 'cartwise_assistant_replies_total',
    help: 'Assistant replies by the engine that produced them (openai | local)',
    labelNames: ['engine'] as const,
    registers: [registry],
  }),
  assistantFallbacks: new Counter({
    name: 'cartwise_assistant_fallbacks_total',
    help: 'Prompts the local engine answered because the LLM failed (reason: error | timeout)',
    labelNames: ['reason'] as const,
    registers: [registry],
  }),
  shopListingRefreshes: new Counter({
    name: 'cartwise_shop_listing_refreshes_total',
    help: 'Catch-ups of the in-memory shop listing with the database (kind: full | changes | products)',
    labelNames: ['kind'] as const,
    registers: [registry],
  }),
  shopListingRowsRead: new Counter({
    name: 'cartwise_shop_listing_rows_read_total',
    help: 'Product rows read by catch-ups of the in-memory shop listing (kind: full | changes | products)',
    labelNames: ['kind'] as const,
    registers: [registry],
  }),
  behaviourEvents: new Counter({
    name: 'cartwise_behaviour_events_total',
    help: 'Behaviour events by outcome (written | dropped | capped: a guest address over its allowance)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  trainingJobs: new Counter({
    name: 'cartwise_ml_training_jobs_total',
    help: 'ML training jobs finished, by outcome (done | failed)',
    labelNames: ['status'] as const,
    registers: [registry],
  }),
  trainingDuration: new Histogram({
    name: 'cartwise_ml_training_duration_seconds',
    help: 'Wall time of ML training jobs',
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800],
    registers: [registry],
  }),
};

/**
 * `GET /metrics` in the Prometheus text format. With `METRICS_TOKEN` set it wants that bearer
 * token, so the endpoint can stay reachable through a public load balancer.
 */
export function registerMetrics(
  app: FastifyInstance,
  deps: { config: Pick<Config, 'METRICS_TOKEN' | 'NODE_ENV'>; events?: DomainEventBus },
) {
  app.addHook('onResponse', async (request, reply) => {
    // The route template keeps label cardinality bounded; unmatched paths share one label.
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    metrics.httpRequestDuration
      .labels(request.method, route, String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
  });

  if (deps.events) {
    const onClosed = (order: { totalCents: number }) => {
      metrics.checkouts.inc();
      metrics.checkoutRevenueCents.inc(order.totalCents);
    };
    deps.events.on('order.closed', onClosed);
    app.addHook('onClose', async () => {
      deps.events?.off('order.closed', onClosed);
    });
  }

  // Production never serves the figures (revenue among them) to anyone who asks: only with
  // METRICS_TOKEN, or on the localhost listener of METRICS_PORT (decision 174).
  const token = deps.config.METRICS_TOKEN;
  const closed = !token && deps.config.NODE_ENV === 'production';
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (closed) {
      throw new AppError(
        401,
        'unauthorized',
        'Metrics need METRICS_TOKEN, or METRICS_PORT for a listener on 127.0.0.1',
      );
    }
    if (token && request.headers.authorization !== `Bearer ${token}`) throw unauthorized();
    reply.type(registry.contentType);
    return registry.metrics();
  });
}

/** `METRICS_PORT`: a plain HTTP listener on 127.0.0.1 that answers `GET /metrics` and nothing else. */
export async function startMetricsListener(port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}
