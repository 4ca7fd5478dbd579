import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { createDomainEventBus } from './domain-events.ts';
import { registerAuth } from './http/auth.ts';
import { frameworkErrorHandler, registerErrorHandling } from './http/errors.ts';
import { registerHealth } from './http/health.ts';
import { registerMetrics } from './http/metrics.ts';
import { registerOpenApi } from './http/openapi.ts';
import { registerSecurity } from './http/security.ts';
import { registerMlRoutes } from './modules/ml/routes.ts';

/**
 * The standalone ML service: the same /api/ml paths and the same session auth as the app, and
 * nothing else. It shares only the database with the app (jobs, models, predictions, the lease).
 */
export async function buildMlApp(deps: { config: Config; db: Db }): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: deps.config.LOG_LEVEL },
    bodyLimit: 1024 * 1024,
    // Off by default: a client could otherwise pick its own IP (and rate-limit key) via X-Forwarded-For.
    trustProxy: (_address: string, hop: number) => hop < deps.config.TRUST_PROXY_HOPS,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: 'x-request-id',
    ajv: { customOptions: { coerceTypes: false } },
    frameworkErrors: frameworkErrorHandler,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  await registerSecurity(app, deps);
  await app.register(cookie);
  await registerOpenApi(app);
  registerAuth(app, deps);
  registerHealth(app, deps);
  // Training jobs run here when the service is split out, so their counters are scraped here.
  registerMetrics(app, deps);
  // Checkouts happen in the app process; here the order trigger is the count kept in the database.
  await registerMlRoutes(app, { ...deps, events: createDomainEventBus() });
  return app;
}
