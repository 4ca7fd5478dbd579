import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import type { DialectName } from '../src/server/db/database.ts';
import {
  BENCH_JWT_SECRET,
  CATEGORY_SLUGS,
  freePort,
  inParallel,
  ROOT,
  SEARCH_WORDS,
  type ScratchDatabase,
  type ServerProcess,
  scratchDatabase,
  seedCustomers,
  seedProducts,
  startServer,
} from './support.ts';
import { judge, judgeServer } from './targets.ts';

/**
 * `npm run bench`: seeds 10,000 products into a fresh SQLite file and a fresh MariaDB/MySQL
 * database, starts the real server as its own process, and drives it with autocannon from this
 * process. Prints req/s, p50, p99 and errors per scenario (also as a share of the hello-world
 * ceiling measured in the same run) and writes the figures to bench/results/.
 *
 * Environment: BENCH_DIALECTS (sqlite,mysql), BENCH_DURATION seconds per scenario (10),
 * BENCH_CONNECTIONS (50), BENCH_PRODUCTS (10000), BENCH_EXTRAS (assistant,ml: the scenario modules
 * run after the shop scenarios; `none` skips them). Also reports how long after start the first
 * catalog page and search answer, the server's resident memory, and (MariaDB/MySQL) the SQL round
 * trips per product page, add to cart and checkout, counted inside the server process.
 */

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 10_000);
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,mysql').split(',') as DialectName[];
const EXTRAS = (process.env.BENCH_EXTRAS ?? 'assistant,ml').split(',').filter((e) => e !== 'none');
const CART_USERS = 1_000;
const BUYERS = Math.max(4_000, Math.ceil(DURATION * 500));

export interface ScenarioResult {
  name: string;
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  ratioOfCeiling?: number;
  target?: string;
  met?: boolean;
}

/** What a scenario module (bench/assistant.ts, bench/ml.ts) receives: a running, seeded server. */
export interface BenchContext {
  dialect: DialectName;
  server: ServerProcess;
  database: ScratchDatabase;
  durationSeconds: number;
  connections: number;
  productIds: number[];
  load: typeof load;
}

type Request = autocannon.Request;

/** One autocannon run; errors = socket errors + timeouts + non-2xx answers. */
export async function load(
  name: string,
  url: string,
  options: { connections?: number; amount?: number; requests?: Request[]; duration?: number },
): Promise<ScenarioResult> {
  const connections = options.connections ?? CONNECTIONS;
  const result = await autocannon({
    url,
    connections,
    duration: options.duration ?? DURATION,
    amount: options.amount,
    requests: options.requests,
    timeout: 10,
  });
  return {
    name,
    connections,
    requestsPerSecond: Math.round((result.requests.total / result.duration) * 10) / 10,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)];

function catalogPath(): string {
  const params = new URLSearchParams({
    category: pick(CATEGORY_SLUGS),
    priceGt: String(Math.floor(Math.random() * 10_000)),
    priceLt: String(20_000 + Math.floor(Math.random() * 30_000)),
    inStock: 'true',
    sort: pick(['price', '-price', 'name', 'newest']),
    page: String(1 + Math.floor(Math.random() * 5)),
    pageSize: '24',
  });
  return `/api/products?${params}`;
}

/** Free text of two words, one of them often misspelt (a swap), for GET /api/search. */
function freeTextPath(): string {
  const word = pick(SEARCH_WORDS);
  const typo =
    word.length >= 5 && Math.random() < 0.5 ? `${word[0]}${word[2]}${word[1]}${word.slice(3)}` : word;
  return `/api/search?q=${encodeURIComponent(`${pick(SEARCH_WORDS)} ${typo}`)}&pageSize=24`;
}

/** The server's resident memory in MiB (Linux /proc). */
function residentMiB(pid: number | undefined): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

/** Statements the benchmarked server has sent so far (bench/statement-counter.ts). */
async function statementsSoFar(counterPort: number): Promise<number> {
  return Number(await (await fetch(`http://127.0.0.1:${counterPort}/`)).text());
}

/**
 * SQL round trips per request: `count` requests one after another, and the server's own statement
 * counter before and after. MariaDB/MySQL only; SQLite runs the same code without a network hop.
 */
async function roundTrips(counterPort: number, count: number, send: (i: number) => Promise<Response>) {
  const before = await statementsSoFar(counterPort);
  for (let i = 0; i < count; i++) {
    const res = await send(i);
    if (!res.ok) throw new Error(`round-trip probe failed: ${res.status} ${await res.text()}`);
  }
  // Batched writes (behaviour events) may follow a request by a moment.
  await new Promise((r) => setTimeout(r, 300));
  const after = await statementsSoFar(counterPort);
  return Math.round(((after - before) / count) * 10) / 10;
}

function searchPath(): string {
  const terms = [pick(SEARCH_WORDS), pick(SEARCH_WORDS), pick(SEARCH_WORDS)];
  return `/api/products?q=${encodeURIComponent(terms.join(','))}&pageSize=24`;
}

/** Per dialect: start-up times, memory and SQL round trips per request, for the report. */
const extraFacts: Record<string, Record<string, unknown>> = {};

const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

async function benchDialect(dialect: DialectName): Promise<ScenarioResult[]> {
  console.log(`\n== ${dialect}: seeding ${PRODUCTS} products`);
  const database = await scratchDatabase(dialect);
  let server: ServerProcess | undefined;
  try {
    const started = Date.now();
    const productIds = await seedProducts(database.db, PRODUCTS, 1_000_000);
    const cartUsers = await seedCustomers(database.db, CART_USERS, BENCH_JWT_SECRET, 'cart');
    const buyers = await seedCustomers(database.db, BUYERS, BENCH_JWT_SECRET, 'buyer');
    console.log(`   seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const startedServer = Date.now();
    const counterPort = await freePort();
    server = await startServer(
      { DATABASE_URL: database.url, BENCH_COUNTER_PORT: String(counterPort) },
      {
        timeoutMs: 120_000,
        nodeArgs: dialect === 'mysql' ? ['--import', join(ROOT, 'bench/statement-counter.ts')] : [],
      },
    );
    const url = server.url;
    // From the process start to the first catalog page and the first search (listing and index loaded).
    await fetch(`${url}${catalogPath()}`).then((r) => r.text());
    const firstPageMs = Date.now() - startedServer;
    await fetch(`${url}${freeTextPath()}`).then((r) => r.text());
    const firstSearchMs = Date.now() - startedServer;
    console.log(
      `   serving: first catalog page ${firstPageMs} ms, first search ${firstSearchMs} ms after start`,
    );
    extraFacts[dialect] = { firstPageMs, firstSearchMs };
    const results: ScenarioResult[] = [];
    const run = async (result: Promise<ScenarioResult>) => {
      const r = await result;
      results.push(r);
      console.log(
        `   ${r.name.padEnd(22)} ${String(r.requestsPerSecond).padStart(8)} req/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  errors ${r.errors}`,
      );
      return r;
    };

    // Warm-up (JIT, statement caches, connection pool) is not measured.
    await load('warm-up', url, {
      duration: 2,
      requests: [{ setupRequest: (req) => ({ ...req, path: catalogPath() }) }],
    });

    await run(load('ceiling (GET /health/live)', `${url}/health/live`, {}));
    await run(
      load('catalog page', url, { requests: [{ setupRequest: (req) => ({ ...req, path: catalogPath() }) }] }),
    );
    await run(
      load('multi-term search', url, {
        requests: [{ setupRequest: (req) => ({ ...req, path: searchPath() }) }],
      }),
    );
    await run(
      load('free-text search', url, {
        requests: [{ setupRequest: (req) => ({ ...req, path: freeTextPath() }) }],
      }),
    );
    await run(
      load('product detail', url, {
        requests: [{ setupRequest: (req) => ({ ...req, path: `/api/products/${pick(productIds)}` }) }],
      }),
    );
    await run(
      load('add to cart', url, {
        requests: [
          {
            method: 'POST',
            path: '/api/cart/items',
            setupRequest: (req) => ({
              ...req,
              headers: json(pick(cartUsers).token),
              body: JSON.stringify({ productId: pick(productIds), quantity: 1 }),
            }),
          },
        ],
      }),
    );

    // What 10 connections allow on this machine at all, beside the add: the ceiling, and a signed-in
    // read of the cart (a session lookup and one statement, no transaction).
    await run(load('ceiling (10 conn.)', `${url}/health/live`, { connections: 10 }));
    await run(
      load('cart read (10 conn.)', url, {
        connections: 10,
        requests: [
          {
            setupRequest: (req) => ({
              ...req,
              path: '/api/cart',
              headers: { authorization: `Bearer ${pick(cartUsers).token}` },
            }),
          },
        ],
      }),
    );

    // Under load, adds of different shoppers share transactions (decision 179): count what one costs.
    const statementsBefore = dialect === 'mysql' ? await statementsSoFar(counterPort) : 0;
    const concurrentAdds = await run(
      load('add to cart (10 conn.)', url, {
        connections: 10,
        requests: [
          {
            method: 'POST',
            path: '/api/cart/items',
            setupRequest: (req) => ({
              ...req,
              headers: json(pick(cartUsers).token),
              body: JSON.stringify({ productId: pick(productIds), quantity: 1 }),
            }),
          },
        ],
      }),
    );
    const statementsPerConcurrentAdd =
      dialect === 'mysql'
        ? Math.round(
            (((await statementsSoFar(counterPort)) - statementsBefore) / concurrentAdds.requests) * 10,
          ) / 10
        : 0;
    extraFacts[dialect].residentMiB = residentMiB(server.child.pid);
    if (dialect === 'mysql') {
      const viewer = cartUsers[0];
      extraFacts[dialect].roundTrips = {
        productPage: await roundTrips(counterPort, 100, (i) => fetch(`${url}/api/products/${productIds[i]}`)),
        productPageSignedIn: await roundTrips(counterPort, 100, (i) =>
          fetch(`${url}/api/products/${productIds[i]}`, { headers: json(viewer.token) }),
        ),
        addToCart: await roundTrips(counterPort, 100, (i) =>
          fetch(`${url}/api/cart/items`, {
            method: 'POST',
            headers: json(viewer.token),
            body: JSON.stringify({ productId: productIds[i % 10], quantity: 1 }),
          }),
        ),
        addToCartAt10Connections: statementsPerConcurrentAdd,
      };
    }

    // Every buyer gets a cart of two products no other buyer has, filled over HTTP beforehand.
    console.log(`   filling ${buyers.length} carts for the checkout scenario`);
    await inParallel(buyers, 16, async (buyer, i) => {
      for (const productId of [
        productIds[(2 * i) % productIds.length],
        productIds[(2 * i + 1) % productIds.length],
      ]) {
        const res = await fetch(`${url}/api/cart/items`, {
          method: 'POST',
          headers: json(buyer.token),
          body: JSON.stringify({ productId, quantity: 1 + (i % 3) }),
        });
        if (!res.ok) throw new Error(`filling a cart failed: ${res.status} ${await res.text()}`);
      }
    });
    let nextBuyer = 0;
    const checkout = await run(
      load('checkout', url, {
        amount: buyers.length,
        requests: [
          {
            method: 'POST',
            path: '/api/cart/checkout',
            setupRequest: (req) => ({
              ...req,
              headers: json(buyers[nextBuyer++ % buyers.length].token),
              body: JSON.stringify({ shippingAddress: '1 Bench Street, Springfield' }),
            }),
          },
        ],
      }),
    );
    if (dialect === 'mysql') {
      // One more buyer, probed alone: a cart of two lines, then its checkout.
      const [probe] = await seedCustomers(database.db, 1, BENCH_JWT_SECRET, 'probe');
      for (const productId of productIds.slice(-2)) {
        await fetch(`${url}/api/cart/items`, {
          method: 'POST',
          headers: json(probe.token),
          body: JSON.stringify({ productId, quantity: 1 }),
        });
      }
      (extraFacts[dialect].roundTrips as Record<string, number>).checkout = await roundTrips(
        counterPort,
        1,
        () =>
          fetch(`${url}/api/cart/checkout`, {
            method: 'POST',
            headers: json(probe.token),
            body: JSON.stringify({ shippingAddress: '1 Probe Street, Springfield' }),
          }),
      );
      const closed = await sql<{
        n: number;
      }>`select count(*) as n from orders where status = 'CLOSED'`.execute(database.db);
      console.log(
        `   closed orders in the database: ${closed.rows[0].n} (checkout requests: ${checkout.requests})`,
      );
    }

    for (const extra of EXTRAS) {
      const file = join(ROOT, 'bench', `${extra}.ts`);
      if (!existsSync(file)) continue;
      const mod = (await import(pathToFileURL(file).href)) as {
        scenarios?: (ctx: BenchContext) => Promise<ScenarioResult[]>;
      };
      if (!mod.scenarios) continue;
      const ctx: BenchContext = {
        dialect,
        server,
        database,
        durationSeconds: DURATION,
        connections: CONNECTIONS,
        productIds,
        load,
      };
      for (const r of await mod.scenarios(ctx)) await run(Promise.resolve(r));
    }
    return results;
  } finally {
    await server?.stop();
    await database.drop();
  }
}

function printReport(all: Record<string, ScenarioResult[]>) {
  console.log('\n== Cartwise benchmark report');
  console.log(
    `   ${cpus().length} CPU(s), ${CONNECTIONS} connections, ${DURATION} s per scenario, ${PRODUCTS} products`,
  );
  for (const [dialect, results] of Object.entries(all)) {
    console.log(`\n   ${dialect}`);
    console.log(
      `   ${'scenario'.padEnd(28)}${'req/s'.padStart(9)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'errors'.padStart(8)}${'× ceiling'.padStart(11)}  target`,
    );
    for (const r of results) {
      const verdict = r.target ? `${r.met ? 'MET' : 'MISSED'}: ${r.target}` : '';
      console.log(
        `   ${r.name.padEnd(28)}${r.requestsPerSecond.toFixed(0).padStart(9)}${String(r.p50Ms).padStart(8)}${String(r.p99Ms).padStart(8)}${String(r.errors).padStart(8)}${(r.ratioOfCeiling ?? 0).toFixed(2).padStart(11)}  ${verdict}`,
      );
    }
    const facts = extraFacts[dialect] ?? {};
    for (const verdict of judgeServer(facts, PRODUCTS)) console.log(`   ${verdict}`);
    console.log(`   ${JSON.stringify(facts)}`);
  }
}

async function main() {
  const all: Record<string, ScenarioResult[]> = {};
  for (const dialect of DIALECTS) {
    const results = await benchDialect(dialect);
    judge(dialect, results, PRODUCTS);
    all[dialect] = results;
  }
  printReport(all);
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        at: new Date().toISOString(),
        cpus: cpus().length,
        node: process.version,
        connections: CONNECTIONS,
        durationSeconds: DURATION,
        products: PRODUCTS,
        results: all,
        facts: extraFacts,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\n   written to ${file}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
