import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { favoritesSchema } from '../../../contract/favorites.ts';
import type { Db } from '../../db/database.ts';
import { requireUser } from '../../http/auth.ts';
import { productIdParams } from './schemas.ts';
import { addFavorite, listFavorites, removeFavorite } from './service.ts';
import type { BehaviourLog } from '../events/service.ts';

const security: { [label: string]: string[] }[] = [{ bearer: [] }, { cookie: [] }];

export async function registerFavoriteRoutes(
  app: FastifyInstance,
  deps: { db: Db; behaviour: BehaviourLog },
) {
  await app.register(async (scoped) => {
    // Sign-in is checked before the path, so a guest gets 401 rather than a validation error.
    scoped.addHook('onRequest', async (request) => {
      requireUser(request);
    });
    const r = scoped.withTypeProvider<ZodTypeProvider>();

    r.get(
      '/api/favorites',
      {
        schema: {
          tags: ['favorites'],
          summary: 'Favorite products, most recently added first',
          security,
          response: { 200: favoritesSchema },
        },
      },
      async (request) => listFavorites(deps, requireUser(request).userId),
    );

    r.put(
      '/api/favorites/:productId',
      {
        schema: {
          tags: ['favorites'],
          summary: 'Mark a product as a favorite (idempotent)',
          security,
          params: productIdParams,
          response: { 204: z.null(), 404: z.looseObject({ code: z.string() }) },
        },
      },
      async (request, reply) => {
        const ctx = deps;
        await addFavorite(ctx, requireUser(request).userId, request.params.productId);
        return reply.code(204).send(null);
      },
    );

    r.delete(
      '/api/favorites/:productId',
      {
        schema: {
          tags: ['favorites'],
          summary: 'Unmark a favorite (idempotent)',
          security,
          params: productIdParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const ctx = deps;
        await removeFavorite(ctx, requireUser(request).userId, request.params.productId);
        return reply.code(204).send(null);
      },
    );
  });
}
