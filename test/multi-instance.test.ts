import { setTimeout as sleep } from 'node:timers/promises';
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
import { issueSession } from '../src/server/modules/accounts/sessions.ts';
import { simulateIntoDb } from '../src/server/modules/ml/data/history-writer.ts';
import { mysqlAvailable } from './support/databases.ts';
import { addToCart, authJson, checkOrderBook, checkout } from './support/processes.ts';

/**
 * Two app processes on one MariaDB database, as behind a load balancer: everything that must be
 * shared (stock, prompt counts, the trainer) is coordinated by the database, not by memory.
 */
(mysqlAvailable ? describe : describe.skip)('several instances on one database [mysql]', () => {
  let database: ScratchDatabase;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    database = await scratchDatabase('mysql', 'multi');
    const env = {
      DATABASE_URL: database.url,
      ML_WORKER: 'true',
      ML_RETRAIN_EVERY_HOURS: '0',
      ML_RETRAIN_AFTER_ORDERS: '100000',
      CATALOG_LISTING_MAX_AGE_MS: '500',
    };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await database?.drop();
  });

  it('never oversells when checkouts race across both instances', async () => {
    const hot = await seedProducts(database.db, 4, 25);
    const initial = new Map(hot.map((id) => [id, 25]));
    const buyers = await seedCustomers(database.db, 120, BENCH_JWT_SECRET, 'race');
    // 120 buyers want ~180 units of 100 in stock; carts are filled through either instance.
    await inParallel(buyers, 12, (buyer, i) =>
      addToCart((i % 2 ? a : b).url, buyer, hot[i % 4], 1 + (i % 2)),
    );
    const statuses = await inParallel(buyers, 60, (buyer, i) => checkout((i % 2 ? b : a).url, buyer));

    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const book = await checkOrderBook(database.db, initial);
    expect(book.negativeStock).toEqual([]);
    expect(book.stockMismatches).toEqual([]);
    expect(book.halfClosed).toEqual([]);
    expect(book.closedOrders).toBe(statuses.filter((s) => s === 201).length);
    expect(book.soldUnits).toBeLessThanOrEqual(100);
    // Demand exceeds supply on every product, so each instance must have sold some and refused some.
    expect(statuses.filter((s, i) => s === 201 && i % 2 === 0).length).toBeGreaterThan(0);
    expect(statuses.filter((s, i) => s === 201 && i % 2 === 1).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 409).length).toBeGreaterThan(0);
  }, 60_000);

  it("shows each instance's product writes in the other's shop listing within its maximum age", async () => {
    const [admin] = await seedCustomers(database.db, 1, BENCH_JWT_SECRET, 'admin');
    await database.db.updateTable('users').set({ role: 'admin' }).where('id', '=', admin.id).execute();
    const category = await database.db
      .insertInto('categories')
      .values({ name: 'Shared shelf', slug: 'shared-shelf' })
      .executeTakeFirstOrThrow();
    const listed = async (server: ServerProcess) => {
      const res = await fetch(`${server.url}/api/products?category=shared-shelf`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: { id: number; priceCents: number }[] }).items;
    };
    const eventually = async (server: ServerProcess, expected: { id: number; priceCents: number }[]) => {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const items = (await listed(server)).map(({ id, priceCents }) => ({ id, priceCents }));
        if (JSON.stringify(items) === JSON.stringify(expected) || Date.now() > deadline) {
          return expect(items).toEqual(expected);
        }
        await sleep(100);
      }
    };
    expect(await listed(b)).toEqual([]); // b now holds the catalog in memory
    const asAdmin = (method: string, path: string, body?: object) =>
      fetch(`${a.url}${path}`, {
        method,
        headers: authJson(admin.token),
        body: body && JSON.stringify(body),
      });

    const created = await asAdmin('POST', '/api/admin/products', {
      name: 'Shared shelf lamp',
      description: 'Seen by both instances',
      categoryId: Number(category.insertId),
      priceCents: 1500,
      stock: 4,
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    expect((await listed(a)).map((p) => p.id)).toEqual([id]); // the writer sees it at once
    await eventually(b, [{ id, priceCents: 1500 }]);

    expect((await asAdmin('PATCH', `/api/admin/products/${id}`, { priceCents: 1200 })).status).toBe(200);
    await eventually(b, [{ id, priceCents: 1200 }]);

    // Never ordered, so deleted outright: the other instance notices the missing row.
    expect((await asAdmin('DELETE', `/api/admin/products/${id}`)).status).toBe(204);
    await eventually(b, []);
  }, 30_000);

  it("holds the assistant's prompt limit across both instances", async () => {
    const [shopper] = await seedCustomers(database.db, 1, BENCH_JWT_SECRET, 'chat');
    const created = await fetch(`${a.url}/api/assistant/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${shopper.token}` },
    });
    expect(created.status).toBe(201);
    const session = (await created.json()) as { id: string; promptLimit: number };
    const attempts = session.promptLimit + 7;
    const statuses = await Promise.all(
      Array.from({ length: attempts }, async (_, i) => {
        const res = await fetch(`${(i % 2 ? a : b).url}/api/assistant/sessions/${session.id}/messages`, {
          method: 'POST',
          headers: authJson(shopper.token),
          body: JSON.stringify({ message: 'what categories do you have?' }),
        });
        const body = (await res.json()) as { code?: string };
        return res.status === 429 ? `429 ${body.code}` : res.status;
      }),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(session.promptLimit);
    expect(statuses.filter((s) => s === '429 prompt_limit_reached')).toHaveLength(
      attempts - session.promptLimit,
    );
    const seen = (await (
      await fetch(`${b.url}/api/assistant/sessions/${session.id}`, { headers: authJson(shopper.token) })
    ).json()) as {
      promptsUsed: number;
      messages: unknown[];
    };
    expect(seen.promptsUsed).toBe(session.promptLimit);
    expect(seen.messages).toHaveLength(2 * session.promptLimit);
  }, 60_000);

  it('runs one ML trainer at a time across both instances', async () => {
    await simulateIntoDb(database.db, { customers: 250, days: 730, seed: 11 });
    const adminId = Number(
      (
        await database.db
          .insertInto('users')
          .values({
            username: 'multi_admin',
            email: 'multi_admin@example.com',
            password_hash: '!no-login',
            first_name: 'Ada',
            last_name: 'Admin',
            phone: '+1 555 0100',
            country: 'US',
            city: 'Springfield',
            role: 'admin',
            created_at: Date.now(),
          })
          .executeTakeFirstOrThrow()
      ).insertId,
    );
    const { token } = await issueSession(database.db, BENCH_JWT_SECRET, adminId, 1);
    const retrain = async (server: ServerProcess) => {
      const res = await fetch(`${server.url}/api/ml/retrain`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(202);
      return ((await res.json()) as { jobId: number }).jobId;
    };

    let maxRunning = 0;
    const owners = new Set<string>();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const running = await database.db
          .selectFrom('ml_jobs')
          .select(['id', 'lease_owner'])
          .where('status', '=', 'running')
          .execute();
        maxRunning = Math.max(maxRunning, running.length);
        for (const r of running) if (r.lease_owner) owners.add(r.lease_owner);
        await sleep(25);
      }
    })();

    let jobs: Array<{ id: number; status: string; started_at: number | null; finished_at: number | null }> =
      [];
    try {
      const first = await retrain(a);
      // Queue a second run through the other instance while the first one is (about to be) running.
      for (let i = 0; i < 200; i++) {
        const job = await database.db
          .selectFrom('ml_jobs')
          .select('status')
          .where('id', '=', first)
          .executeTakeFirstOrThrow();
        if (job.status !== 'queued') break;
        await sleep(25);
      }
      const second = await retrain(b);
      expect(second).not.toBe(first);

      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        jobs = await database.db
          .selectFrom('ml_jobs')
          .select(['id', 'status', 'started_at', 'finished_at'])
          .where('id', 'in', [first, second])
          .orderBy('id')
          .execute();
        if (jobs.every((j) => j.status === 'done' || j.status === 'failed')) break;
        await sleep(200);
      }
    } finally {
      sampling = false;
      await sampler;
    }

    expect(jobs.map((j) => j.status)).toEqual(['done', 'done']);
    expect(maxRunning).toBe(1);
    // The second run started only after the first had finished, whichever process ran each.
    expect(Number(jobs[1].started_at)).toBeGreaterThanOrEqual(Number(jobs[0].finished_at));
    expect(owners.size).toBeGreaterThanOrEqual(1);
  }, 150_000);
});
