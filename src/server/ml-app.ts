import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { createDomainEventBus } from './domain-events.ts';
import { registerAuth } from './http/auth.ts';
import { registerHealth } from './http/health.ts';
import { registerMetrics } from './http/metrics.ts';
import { registerOpenApi } from './http/openapi.ts';
import { registerSecurity } from './http/security.ts';
import { createHttpServer } from './http/server.ts';
import { registerMlRoutes } from './modules/ml/routes.ts';
import { startMlBackground } from './modules/ml/trainer.ts';

/**
 * The standalone ML service: the same /api/ml paths and the same session auth as the app, and
 * nothing else. It shares only the database with the app (jobs, models, predictions, the lease).
 */
export async function buildMlApp(deps: { config: Config; db: Db }): Promise<FastifyInstance> {
  const app = createHttpServer(deps.config);
  registerSecurity(app, deps);
  await app.register(cookie);
  await registerOpenApi(app);
  registerAuth(app, deps);
  registerHealth(app, deps);
  // Training jobs run here when the service is split out, so their counters are scraped here.
  registerMetrics(app, deps);
  // Checkouts happen in the app process; here the order trigger is the count kept in the database.
  const ml = startMlBackground({
    ...deps,
    events: createDomainEventBus(),
    log: (message) => app.log.warn(message),
  });
  app.addHook('onClose', () => ml.stop());
  await registerMlRoutes(app, { ...deps, trainer: ml.trainer });
  return app;
}
