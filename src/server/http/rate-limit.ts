import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import { dialectAdapterOf } from '../db/dialect-adapter.ts';
import type { Database } from '../db/schema.ts';

/**
 * Installs @fastify/rate-limit without a global limit: a route opts in with
 * `config: { rateLimit: { max, timeWindow } }`, or shares one counter across routes through
 * `app.createRateLimit(...)` (as login and register do). Counters are per client IP and live in the
 * database, so every app process counts against the same limit (decisions 012 and 094). Over the
 * limit, the error handler answers 429 `rate_limited`.
 */
export async function registerRateLimit(app: FastifyInstance, db: Db) {
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (request) => request.ip,
    store: databaseStore(db),
  });
}

/** Expired counters are swept every this many hits (per process). */
const SWEEP_EVERY = 500;

/**
 * Counts `hits` (one by default) in a fixed window: a new window starts when the previous one has
 * ended. `current` includes them.
 */
export async function countHit(
  db: Db,
  key: string,
  windowMs: number,
  hits = 1,
): Promise<{ current: number; ttl: number }> {
  const now = Date.now();
  const values = { bucket_key: key, window_ends_at: now + windowMs, hits };
  const insert = db.insertInto('rate_limits').values(values);
  // `hits` first: on MySQL each assignment sees the ones before it, and the test needs the old window.
  const update = {
    hits: (eb: ExpressionBuilder<Database, 'rate_limits'>) =>
      eb
        .case()
        .when('window_ends_at', '<=', now)
        .then(hits)
        .else(eb('hits', '+', hits))
        .end(),
    window_ends_at: (eb: ExpressionBuilder<Database, 'rate_limits'>) =>
      eb
        .case()
        .when('window_ends_at', '<=', now)
        .then(now + windowMs)
        .else(eb.ref('window_ends_at'))
        .end(),
  };
  await dialectAdapterOf(db).onConflictUpdate(insert, ['bucket_key'], update).execute();
  const row = await db
    .selectFrom('rate_limits')
    .select(['hits', 'window_ends_at'])
    .where('bucket_key', '=', key)
    .executeTakeFirstOrThrow();
  return { current: Number(row.hits), ttl: Math.max(0, Number(row.window_ends_at) - now) };
}

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** The store interface @fastify/rate-limit expects (`incr`, `child`), backed by `rate_limits`. */
function databaseStore(db: Db) {
  let hits = 0;
  return class DatabaseRateLimitStore {
    readonly #prefix: string;

    constructor(_options: unknown, prefix = '') {
      this.#prefix = prefix;
    }

    incr(key: string, callback: Callback, timeWindow: number) {
      countHit(db, this.#prefix + key, timeWindow).then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      );
      if (++hits % SWEEP_EVERY === 0) {
        db.deleteFrom('rate_limits')
          .where('window_ends_at', '<', Date.now())
          .execute()
          .catch(() => undefined);
      }
    }

    /** A route with its own limit counts in its own buckets. */
    child(routeOptions: object) {
      // The plugin's types say RouteOptions; at run time the route comes as `routeInfo`.
      const { routeInfo } = routeOptions as { routeInfo: { method: string; url: string } };
      return new DatabaseRateLimitStore(undefined, `${routeInfo.method}${routeInfo.url}-`);
    }
  };
}
