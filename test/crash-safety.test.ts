import { setTimeout as sleep } from 'node:timers/promises';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BENCH_JWT_SECRET,
  inParallel,
  type ScratchDatabase,
  type ServerProcess,
  scratchDatabase,
  seedCustomers,
  seedProducts,
  startServer,
} from '../bench/support.ts';
import { simulateIntoDb } from '../src/server/modules/ml/data/history-writer.ts';
import { mysqlAvailable } from './support/databases.ts';
import { addToCart, checkOrderBook, checkout } from './support/processes.ts';

/**
 * The app as a real process on MariaDB: killed with SIGKILL in the middle of a checkout storm it
 * loses nothing and corrupts nothing; stopped with SIGTERM it finishes what it accepted.
 */
(mysqlAvailable ? describe : describe.skip)('crash safety [mysql]', () => {
  let database: ScratchDatabase;
  const servers: ServerProcess[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const server = await startServer({ DATABASE_URL: database.url, ...env });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    database = await scratchDatabase('mysql', 'crash');
  });
  afterAll(async () => {
    for (const s of servers) await s.kill();
    await database?.drop();
  });

  it('keeps stock and orders consistent when killed with SIGKILL during a checkout storm', async () => {
    const productIds = await seedProducts(database.db, 12, 40);
    const initial = new Map(productIds.map((id) => [id, 40]));
    const buyers = await seedCustomers(database.db, 240, BENCH_JWT_SECRET, 'storm');
    const first = await start();
    // Overlapping carts: every product is wanted by ~40 buyers, more than its stock allows.
    await inParallel(buyers, 12, async (buyer, i) => {
      await addToCart(first.url, buyer, productIds[i % 12], 1 + (i % 3));
      await addToCart(first.url, buyer, productIds[(i * 5 + 3) % 12], 1);
    });

    let answered = 0;
    let killed = false;
    const statuses = await inParallel(buyers, 40, async (buyer) => {
      if (killed) return 'skipped' as const;
      const status = await checkout(first.url, buyer);
      if (status !== 'network') answered += 1;
      if (answered >= 60 && !killed) {
        killed = true;
        first.child.kill('SIGKILL');
      }
      return status;
    });
    await first.kill();
    expect(killed).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 201 || s === 409 || s === 'network' || s === 'skipped')).toBe(true);

    const afterCrash = await checkOrderBook(database.db, initial);
    expect(afterCrash.stockMismatches).toEqual([]);
    expect(afterCrash.halfClosed).toEqual([]);
    expect(afterCrash.negativeStock).toEqual([]);
    // Every 201 the clients saw is a CLOSED order in the database.
    expect(afterCrash.closedOrders).toBeGreaterThanOrEqual(statuses.filter((s) => s === 201).length);

    const second = await start();
    expect((await fetch(`${second.url}/health/ready`)).status).toBe(200);
    const retried = await inParallel(buyers, 20, (buyer) => checkout(second.url, buyer));
    // Each cart is either closed now, already closed before the crash (404), or short of stock.
    expect(retried.every((s) => s === 201 || s === 404 || s === 409)).toBe(true);
    const final = await checkOrderBook(database.db, initial);
    expect(final.stockMismatches).toEqual([]);
    expect(final.halfClosed).toEqual([]);
    expect(final.negativeStock).toEqual([]);
    expect(final.closedOrders).toBeGreaterThan(afterCrash.closedOrders);
    const catalog = await fetch(`${second.url}/api/products?pageSize=5`);
    expect(catalog.status).toBe(200);
    await second.stop();
  }, 90_000);

  it('drains in-flight requests on SIGTERM, then exits cleanly', async () => {
    const productIds = await seedProducts(database.db, 3, 100).then((ids) => ids.slice(-3));
    const buyers = await seedCustomers(database.db, 8, BENCH_JWT_SECRET, 'drain');
    const server = await start();
    for (const buyer of buyers) await addToCart(server.url, buyer, productIds[0], 1);

    // Hold the product's row lock so the checkouts are provably in flight when SIGTERM arrives.
    const blocker = await createConnection({ uri: database.url });
    await blocker.query('START TRANSACTION');
    await blocker.query('SELECT id FROM products WHERE id = ? FOR UPDATE', [productIds[0]]);
    const pending = buyers.map((buyer) => checkout(server.url, buyer));
    await sleep(500);
    const exit = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');
    await sleep(500);
    expect(server.child.exitCode).toBeNull(); // still draining
    const refused = await fetch(`${server.url}/health/live`).then(
      (r) => r.status,
      () => 'refused' as const,
    );
    expect(refused === 'refused' || refused === 503).toBe(true);
    await blocker.query('COMMIT');
    await blocker.end();

    expect(await Promise.all(pending)).toEqual(buyers.map(() => 201));
    expect(await exit).toBe(0);
    const stock = await database.db
      .selectFrom('products')
      .select('stock')
      .where('id', '=', productIds[0])
      .executeTakeFirstOrThrow();
    expect(stock.stock).toBe(100 - buyers.length);
  }, 60_000);

  it('stops the ML trainer before exiting on SIGTERM, leaving no job running and no lease held', async () => {
    await seedProducts(database.db, 5, 1_000);
    await simulateIntoDb(database.db, { customers: 250, days: 730, seed: 5 });
    const [admin] = await seedCustomers(database.db, 1, BENCH_JWT_SECRET, 'mladmin');
    await database.db.updateTable('users').set({ role: 'admin' }).where('id', '=', admin.id).execute();
    const server = await start({ ML_WORKER: 'true', ML_RETRAIN_EVERY_HOURS: '0' });
    const queued = await fetch(`${server.url}/api/ml/retrain`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(queued.status).toBe(202);
    const { jobId } = (await queued.json()) as { jobId: number };
    const jobStatus = async () =>
      (
        await database.db
          .selectFrom('ml_jobs')
          .select('status')
          .where('id', '=', jobId)
          .executeTakeFirstOrThrow()
      ).status;
    for (let i = 0; i < 400 && (await jobStatus()) === 'queued'; i++) await sleep(25);
    expect(await jobStatus()).toBe('running');

    expect(await server.stop(30_000)).toBe(0);
    // The trainer finished its job (or gave it up) before the process left: nothing is orphaned.
    expect(['done', 'failed']).toContain(await jobStatus());
    const lease = await database.db.selectFrom('ml_leases').select('owner').executeTakeFirst();
    expect(lease?.owner ?? null).toBeNull();
  }, 60_000);
});
