import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createDb } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { keepPlannerStatisticsFresh } from './db/planner.ts';
import { demoLoginsToPrint, formatDemoLogins, seedDemoCatalog } from './db/seed/seed.ts';
import { bootstrapDemoHistory } from './modules/ml/data/history-writer.ts';

async function main() {
  const config = loadConfig();
  const db = createDb(config.DATABASE_URL);
  await migrateToLatest(db);
  const demo = await seedDemoCatalog(db, config);
  if (demo.seeded) console.log('Loaded the demo catalog and demo accounts into the empty database.');
  // Synthetic order and behaviour history for the demo goes here, after the catalog it refers to.
  await bootstrapDemoHistory(db, config);
  const app = await buildApp({ config, db });
  keepPlannerStatisticsFresh(db, (error) =>
    app.log.warn({ err: error }, 'could not refresh planner statistics'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'draining requests and stopping');
    // Keep-alive clients would hold their sockets, and so this process, open after their last
    // response; in-flight requests finish, idle sockets are closed as soon as they go idle.
    const closeIdle = setInterval(() => app.server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => {
      app.log.error('requests still running after 25 s; exiting anyway');
      process.exit(1);
    }, 25_000);
    await app.close();
    clearInterval(closeIdle);
    clearTimeout(deadline);
    await db.destroy();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.PORT, host: config.HOST });
  console.log(`\nCartwise is running on http://localhost:${config.PORT}  (API docs: /docs)\n`);
  const logins = formatDemoLogins(await demoLoginsToPrint(db, config, demo));
  if (logins) console.log(logins);
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Cartwise failed to start:', error);
  }
  process.exit(1);
});
