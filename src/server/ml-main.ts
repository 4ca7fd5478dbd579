import { ConfigError, loadConfig } from './config.ts';
import { createDb } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { trackConnections } from './http/connections.ts';
import { buildMlApp } from './ml-app.ts';

/** `npm run start:ml`: the ML API and trainer as their own service on ML_PORT (default 8000). */
async function main() {
  const config = loadConfig();
  const db = createDb(config.DATABASE_URL);
  await migrateToLatest(db);
  const app = await buildMlApp({ config, db });
  const connections = trackConnections(app.server);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // As in main.ts: idle keep-alive sockets (health checks, scrapers) and connections that never
    // sent a request must not hold the exit (decision 177).
    connections.closeUnused();
    const closeIdle = setInterval(() => connections.closeUnused(), 100);
    await app.close();
    clearInterval(closeIdle);
    await db.destroy();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  await app.listen({ port: config.ML_PORT, host: config.HOST });
  const url = `http://localhost:${config.ML_PORT}`;
  app.log.info(
    { url, trainer: config.ML_WORKER },
    `Cartwise ML service on ${url} (trainer ${config.ML_WORKER ? 'on' : 'off'})`,
  );
}

main().catch((error) => {
  console.error(
    error instanceof ConfigError ? error.message : `Cartwise ML service failed to start: ${error}`,
  );
  process.exit(1);
});
