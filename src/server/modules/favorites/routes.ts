import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { favoritesSchema } from '../../../contract/favorites.ts';
import { requireUser } from '../../http/auth.ts';
import { problemSchema, routeGroup } from '../../http/route-kit.ts';
import type { ModuleDeps } from '../../module-deps.ts';
import { productIdParams } from './schemas.ts';
import { addFavorite, listFavorites, removeFavorite } from './service.ts';

export async function registerFavoriteRoutes(
  app: FastifyInstance,
  deps: Pick<ModuleDeps, 'db' | 'behaviour'>,
) {
  await routeGroup(app, 'signed-in', (r) => {
    r.get(
      '/api/favorites',
      {
        schema: {
          tags: ['favorites'],
          summary: 'Favorite products, most recently added first',
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
          params: productIdParams,
          response: { 204: z.null(), 404: problemSchema },
        },
      },
      async (request, reply) => {
        await addFavorite(deps, requireUser(request).userId, request.params.productId);
        return reply.code(204).send(null);
      },
    );

    r.delete(
      '/api/favorites/:productId',
      {
        schema: {
          tags: ['favorites'],
          summary: 'Unmark a favorite (idempotent)',
          params: productIdParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await removeFavorite(deps, requireUser(request).userId, request.params.productId);
        return reply.code(204).send(null);
      },
    );
  });
}
