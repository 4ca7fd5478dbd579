import { pathToFileURL } from 'node:url';
import pino from 'pino';
import type { DialectName } from '../src/server/db/database.ts';
import { seedDemoCatalog } from '../src/server/db/seed/seed.ts';
import { createDomainEventBus } from '../src/server/domain-events.ts';
import { createAssistantStore } from '../src/server/modules/assistant/bindings.ts';
import { ShopListing } from '../src/server/modules/catalog/shop-listing.ts';
import { BehaviourLog } from '../src/server/modules/events/service.ts';
import { answerLocally } from '../src/server/modules/assistant/engines/local/router.ts';
import type { BenchContext, ScenarioResult } from './run.ts';
import { scratchDatabase, seedProducts } from './support.ts';

/**
 * The offline assistant engine's latency per prompt on the demo catalog: a mix of catalog, policy
 * and account questions answered in-process through the real store bindings (the in-memory shop
 * listing and live database reads, as in production). `npm run bench:assistant` runs it alone;
 * `npm run bench` calls `scenarios`.
 * Target: p95 under 50 ms on the demo catalog and on the demo catalog plus 10,000 and 100,000
 * generated products (BENCH_ASSISTANT_SIZES, default "0,10000,100000").
 */

const QUESTIONS = [
  'Is the Aurora Wireless Headphones in stock?',
  'how much is the kettle',
  'what is the cheapest book?',
  'most expensive thing in outdoors',
  'show me apparel between $20 and $60',
  'compare the aurora headphones and the pulse speaker',
  'any boots?',
  'what categories do you have?',
  'Which products are out of stock?',
  'how many skilets are left',
  'What is your return policy?',
  'do you ship to canada',
  "what's in my cart?",
  'show me my orders',
  'what are my favorites?',
  'anything under $30?',
  'tell me about the sourdough book',
  'hello',
  'how many books do you carry?',
  'how many things are out of stock?',
  'gift ideas for a hiker under $50',
  'give me a discount code',
  'can I buy the granite hiking boots right now?',
  'what was in my previous order?',
  'add two ribbed wool beanies to my cart',
  'remove the ribbed wool beanie from my cart',
];

/** A follow-up asked after a listing: answered from the products the previous reply showed. */
const FOLLOW_UP = 'which one of these is the least expensive?';

export interface AssistantBenchResult {
  dialect: DialectName;
  catalog: string;
  prompts: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)] * 100) / 100;
}

/**
 * Runs `rounds` passes over the question mix on a fresh demo-catalog database of `dialect`, with
 * `extraProducts` generated products added (0: the demo catalog alone).
 */
export async function benchAssistant(
  dialect: DialectName,
  rounds = 20,
  extraProducts = 0,
): Promise<AssistantBenchResult> {
  const database = await scratchDatabase(dialect, 'assistant');
  try {
    await seedDemoCatalog(database.db, { DEMO_DATA: true, NODE_ENV: 'development' });
    if (extraProducts > 0) await seedProducts(database.db, extraProducts, 10);
    const shopper = await database.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'customer')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const log = pino({ level: 'silent' });
    const store = createAssistantStore({
      db: database.db,
      events: createDomainEventBus(),
      listing: new ShopListing(database.db, { maxAgeMs: 1_000 }),
      behaviour: new BehaviourLog(database.db, log, { flushAfterMs: 250 }),
      log,
    });
    const ctx = { userId: Number(shopper.id), store };
    const listing = await answerLocally({ message: 'show me books', history: [], ctx });
    const history = [
      { role: 'user' as const, content: 'show me books' },
      { role: 'assistant' as const, content: listing.content, productIds: listing.products.map((p) => p.id) },
    ];
    const prompts = [
      ...QUESTIONS.map((message) => ({ message, history: [] })),
      { message: FOLLOW_UP, history },
    ];
    for (const p of prompts) await answerLocally({ ...p, ctx }); // warm-up
    const timings: number[] = [];
    const slowest = new Map<string, number>();
    for (let round = 0; round < rounds; round++) {
      for (const p of prompts) {
        const started = performance.now();
        await answerLocally({ ...p, ctx });
        const ms = performance.now() - started;
        timings.push(ms);
        slowest.set(p.message, Math.max(ms, slowest.get(p.message) ?? 0));
      }
    }
    if (process.env.BENCH_VERBOSE) {
      for (const [message, ms] of [...slowest].sort((a, b) => b[1] - a[1]).slice(0, 8))
        console.log(`   ${ms.toFixed(1)} ms  ${message}`);
    }
    timings.sort((a, b) => a - b);
    return {
      dialect,
      catalog: extraProducts > 0 ? `demo + ${extraProducts} products` : 'demo catalog',
      prompts: timings.length,
      p50Ms: percentile(timings, 50),
      p95Ms: percentile(timings, 95),
      p99Ms: percentile(timings, 99),
      maxMs: percentile(timings, 100),
    };
  } finally {
    await database.drop();
  }
}

function summarize(r: AssistantBenchResult): string {
  const verdict = r.p95Ms < 50 ? 'met' : 'NOT met';
  return `assistant local engine [${r.dialect}, ${r.catalog}]: ${r.prompts} prompts, p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms (target p95 < 50 ms: ${verdict})`;
}

/** The `npm run bench` hook: one result row per dialect the runner benchmarks. */
export async function scenarios(ctx: BenchContext): Promise<ScenarioResult[]> {
  const r = await benchAssistant(ctx.dialect);
  console.log(`   ${summarize(r)}`);
  return [
    {
      name: 'assistant local engine (per prompt, demo catalog)',
      connections: 1,
      requestsPerSecond: Math.round((1000 / r.p50Ms) * 10) / 10,
      p50Ms: r.p50Ms,
      p99Ms: r.p99Ms,
      requests: r.prompts,
      errors: 0,
      target: `p95 < 50 ms (p95 ${r.p95Ms} ms)`,
      met: r.p95Ms < 50,
    },
  ];
}

async function main() {
  const dialects = (process.env.BENCH_DIALECTS ?? 'sqlite,mysql').split(',') as DialectName[];
  let failed = false;
  // The catalog is read whole up to 2,000 products, then narrowed by the question's words.
  const sizes = (process.env.BENCH_ASSISTANT_SIZES ?? '0,10000,100000').split(',').map(Number);
  for (const dialect of dialects) {
    try {
      for (const size of sizes) {
        const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
        const r = await benchAssistant(dialect, rounds, size);
        console.log(summarize(r));
        failed ||= r.p95Ms >= 50;
      }
    } catch (error) {
      console.error(`assistant bench [${dialect}] failed: ${(error as Error).message}`);
      failed = true;
    }
  }
  process.exitCode = failed ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
