import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

/**
 * Installs @fastify/rate-limit without a global limit: a route opts in with
 * `config: { rateLimit: { max, timeWindow } }`, or shares one counter across routes through
 * `app.createRateLimit(...)` (as login and register do). Counters are per client IP and live in
 * this process's memory (see decision 012). Over the limit, the error handler answers 429
 * `rate_limited`.
 */
export async function registerRateLimit(app: FastifyInstance) {
  await app.register(rateLimit, { global: false, keyGenerator: (request) => request.ip });
}
