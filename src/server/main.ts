import type { Server } from 'node:http';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createDb } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createLogger } from './logging.ts';
import { trackConnections } from './http/connections.ts';
import { startMetricsListener } from './http/metrics.ts';
import { keepPlannerStatisticsFresh } from './db/planner.ts';
import { demoLoginsToPrint, formatDemoLogins, seedDemoCatalog } from './db/seed/seed.ts';
import { bootstrapDemoHistory } from './modules/ml/data/history-writer.ts';

// Output: stdout carries only log events (JSON lines, or pino-pretty's with LOG_FORMAT=pretty), so a
// log collector can parse every line; the demo logins, meant for the person at the console and
// holding passwords, go to stderr as plain text, never into the logs (decision 114).
async function main() {
  const config = loadConfig();
  // Until the HTTP server (and its app.log) exists; fails first when LOG_FORMAT=pretty cannot work.
  const log = createLogger(config);
  const db = createDb(config.DATABASE_URL);
  await migrateToLatest(db);
  const demo = await seedDemoCatalog(db, config);
  if (demo.seeded) log.info('Loaded the demo catalog and demo accounts into the empty database.');
  // Synthetic order and behaviour history for the demo goes here, after the catalog it refers to.
  await bootstrapDemoHistory(db, config, (message) => log.info(message));
  const app = await buildApp({ config, db });
  keepPlannerStatisticsFresh(db, (error) =>
    app.log.warn({ err: error }, 'could not refresh planner statistics'),
  );

  const connections = trackConnections(app.server);
  let metricsListener: Server | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'draining requests and stopping');
    // Keep-alive clients, and connections that never sent a request, would hold server.close(),
    // and so this process, open (decision 177); in-flight requests finish, other sockets close.
    connections.closeUnused();
    const closeIdle = setInterval(() => connections.closeUnused(), 100);
    const deadline = setTimeout(() => {
      app.log.error('requests still running after 25 s; exiting anyway');
      process.exit(1);
    }, 25_000);
    await app.close();
    metricsListener?.close();
    clearInterval(closeIdle);
    clearTimeout(deadline);
    await db.destroy();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.PORT, host: config.HOST });
  if (config.METRICS_PORT) metricsListener = await startMetricsListener(config.METRICS_PORT);
  if (metricsListener) app.log.info({ port: config.METRICS_PORT }, 'metrics on 127.0.0.1 only');
  const url = `http://localhost:${config.PORT}`;
  app.log.info({ url }, `Cartwise is running on ${url} (API docs: ${url}/docs)`);
  const logins = await demoLoginsToPrint(db, config, demo);
  if (logins.length > 0) {
    app.log.info({ usernames: logins.map((l) => l.username) }, 'demo logins printed on stderr');
    process.stderr.write(`\n${formatDemoLogins(logins)}\n`);
  }
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Cartwise failed to start:', error);
  }
  process.exit(1);
});
