import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { createDomainEventBus, type DomainEventBus } from './domain-events.ts';
import { registerAuth } from './http/auth.ts';
import { registerHealth } from './http/health.ts';
import { trackInFlightHandlers } from './http/in-flight.ts';
import { registerMetrics } from './http/metrics.ts';
import { registerOpenApi } from './http/openapi.ts';
import { registerRateLimit } from './http/rate-limit.ts';
import { registerAccountsRoutes } from './modules/accounts/routes.ts';
import { registerAdminRoutes } from './modules/admin/routes.ts';
import { registerAgentRoutes } from './modules/agents/routes.ts';
import { registerAssistantRoutes } from './modules/assistant/routes.ts';
import { registerCatalogRoutes } from './modules/catalog/routes.ts';
import { ShopListing } from './modules/catalog/shop-listing.ts';
import { BehaviourLog } from './modules/events/service.ts';
import { registerFavoriteRoutes } from './modules/favorites/routes.ts';
import { registerMlRoutes } from './modules/ml/routes.ts';
import { MailSender } from './modules/mail/sender.ts';
import { startMlBackground } from './modules/ml/trainer.ts';
import { registerOrderRoutes } from './modules/orders/routes.ts';
import { createPaymentProvider } from './modules/payments/create.ts';
import { registerPaymentRoutes } from './modules/payments/routes.ts';
import { registerSecurity } from './http/security.ts';
import { createHttpServer } from './http/server.ts';
import { registerWeb } from './http/web.ts';
import type { ModuleDeps } from './module-deps.ts';

export interface AppDeps {
  config: Config;
  db: Db;
  /** In-process notifications between modules; buildApp creates one when omitted. */
  events?: DomainEventBus;
}

/** The whole HTTP application; `main.ts` listens on it, tests call `inject` or listen on port 0. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = createHttpServer(deps.config);
  // First, so that it sees every route: shutdown waits for their handlers (decision 176).
  const inFlight = trackInFlightHandlers(app);
  registerSecurity(app, deps);

  await app.register(cookie);
  await app.register(formbody);
  await registerRateLimit(app, deps.db);
  await registerOpenApi(app);
  registerAuth(app, deps);

  const events = deps.events ?? createDomainEventBus();
  const listing = new ShopListing(deps.db, { maxAgeMs: deps.config.CATALOG_LISTING_MAX_AGE_MS });
  registerHealth(app, { db: deps.db, listing });
  const stockChanged = ({ productIds }: { productIds: number[] }) => listing.productsChanged(productIds);
  events.on('stock.changed', stockChanged);
  app.addHook('onClose', async () => void events.off('stock.changed', stockChanged));
  const behaviour = new BehaviourLog(deps.db, app.log, {
    flushAfterMs: deps.config.EVENTS_FLUSH_MS,
    guestPerMinute: deps.config.GUEST_EVENTS_RATE_LIMIT_PER_MINUTE,
  });
  const payments = createPaymentProvider(deps.config);
  const mail = new MailSender(deps.db, app.log, {
    smtpUrl: deps.config.SMTP_URL,
    from: deps.config.MAIL_FROM,
    retryBaseMs: deps.config.MAIL_RETRY_BASE_MS,
    pollMs: deps.config.MAIL_POLL_MS,
  });
  app.addHook('onReady', async () => mail.start());
  // The catalog is read into memory right away: at a million products that takes seconds, which
  // the first shoppers would otherwise wait through; /health/ready says 503 until it is done.
  app.addHook('onReady', async () => {
    listing.warm().catch((error) => app.log.warn({ err: error }, 'catalog not loaded at start'));
  });
  // Handlers whose clients left may still be writing: let them finish before the last flush (and
  // before main.ts closes the pool); the mail sender stops after them, its pass under way done.
  app.addHook('onClose', async () => {
    await inFlight.drained();
    await behaviour.flush();
    await mail.stop();
  });
  const moduleDeps: ModuleDeps = {
    config: deps.config,
    db: deps.db,
    events,
    listing,
    behaviour,
    payments,
    mail,
  };
  registerMetrics(app, moduleDeps);
  // The ML trainer (with ML_WORKER) and the checkout → prediction refresh run beside the routes.
  const ml = startMlBackground({ ...moduleDeps, log: (message) => app.log.warn(message) });
  app.addHook('onClose', () => ml.stop());

  // Domain modules: each registers its own routes (route → service → queries).
  await registerAccountsRoutes(app, moduleDeps);
  await registerCatalogRoutes(app, moduleDeps);
  await registerOrderRoutes(app, moduleDeps);
  await registerPaymentRoutes(app, moduleDeps);
  await registerMlRoutes(app, { ...moduleDeps, trainer: ml.trainer });
  await registerFavoriteRoutes(app, moduleDeps);
  await registerAssistantRoutes(app, moduleDeps);
  await registerAgentRoutes(app, moduleDeps);
  await registerAdminRoutes(app, moduleDeps);

  // The storefront SPA (dist/web) last: only paths no module claimed fall through to it.
  await registerWeb(app);

  return app;
}
