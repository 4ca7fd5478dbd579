import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Db, dialectOf } from '../db/database.ts';
import { sendProblem } from './errors.ts';

/** Readiness: the database answers, and the shop catalog (when this app has one) is in memory. */
export function registerHealth(app: FastifyInstance, deps: { db: Db; listing?: { isWarm: boolean } }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/health/live',
    { schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );
  r.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        description:
          '503 `database_unavailable` when the database does not answer; 503 `catalog_loading` while ' +
          'the catalog is still being read into memory after a start (seconds at a million products).',
        response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'mysql']) }) },
      },
    },
    async (_request, reply) => {
      try {
        await withTimeout(sql`select 1`.execute(deps.db), 2_000);
      } catch {
        return sendProblem(reply, 503, 'database_unavailable', 'The database is unreachable');
      }
      if (deps.listing && !deps.listing.isWarm) {
        return sendProblem(reply, 503, 'catalog_loading', 'The catalog is still being loaded');
      }
      return { status: 'ok' as const, database: dialectOf(deps.db) };
    },
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
