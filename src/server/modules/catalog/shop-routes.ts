import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  categorySchema,
  pageSchema,
  productListQuerySchema,
  productSchema,
  searchPageSchema,
  searchQuerySchema,
} from '../../../contract/catalog.ts';
import { notFound } from '../../app-error.ts';
import type { Config } from '../../config.ts';
import { guestIdOf } from '../../http/auth.ts';
import { sendJson } from '../../http/send-json.ts';
import type { ModuleDeps } from '../../module-deps.ts';
import type { Actor } from '../events/service.ts';
import { productIdParamsSchema } from './schemas.ts';
import { queryWords } from './search-text.ts';
import {
  listCategories,
  searchCatalogJson,
  shopProductJson,
  shopProductsJson,
  splitSearchTerms,
} from './shop-reads.ts';

function actorOf(request: FastifyRequest, reply: FastifyReply, config: Config): Actor {
  return request.auth
    ? { userId: request.auth.userId, guestId: null }
    : { userId: null, guestId: guestIdOf(request, reply, config), address: request.ip };
}

/** The shop's catalog reads: categories, the product listing and product pages. */
export function registerShopCatalogRoutes(
  app: FastifyInstance,
  deps: Pick<ModuleDeps, 'db' | 'config' | 'listing' | 'behaviour'>,
) {
  const { db, config, listing, behaviour } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/categories',
    { schema: { tags: ['catalog'], response: { 200: z.array(categorySchema) } } },
    async () => listCategories(db, listing),
  );

  r.get(
    '/api/products',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Search, filter, sort and page the catalog',
        querystring: productListQuerySchema,
        response: { 200: pageSchema(productSchema) },
      },
    },
    async (request, reply) => {
      const { q, category, inStock, sort, ...rest } = request.query;
      const terms = splitSearchTerms(q);
      const viewer = request.auth?.userId ?? null;
      const json = await shopProductsJson(
        listing,
        db,
        {
          ...rest,
          // Searching without a sort: relevance order (API.md).
          sort: sort ?? (terms.length > 0 ? 'relevance' : 'name'),
          terms,
          categorySlug: category,
          inStock: inStock === 'true',
        },
        viewer,
      );
      // One search is one event: turning its pages is not searching again.
      if (terms.length > 0 && rest.page === 1) {
        const actor = actorOf(request, reply, config);
        await behaviour.record(actor, 'search', { payload: { terms } });
      }
      return sendJson(reply, json);
    },
  );

  r.get(
    '/api/search',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Free-text search: ranked, typo-tolerant, with didYouMean',
        description:
          'Words over name, description and category (accents and case ignored), ranked BM25-style ' +
          'with the name weighted over category and description; a word the catalog lacks is ' +
          'corrected (one edit for 5+ letters, two for 9+) and `didYouMean` shows the corrected ' +
          'query. Caps: `q` at most 200 characters (422 beyond), the first 8 distinct words count, ' +
          'words cut at 40 characters, `pageSize` at most 50 and `page × pageSize` at most 1,000.',
        querystring: searchQuerySchema,
        response: { 200: searchPageSchema },
      },
    },
    async (request, reply) => {
      const { q, page, pageSize } = request.query;
      const viewer = request.auth?.userId ?? null;
      const json = await searchCatalogJson(listing, db, q, { page, pageSize }, viewer);
      const terms = queryWords(q);
      // One search is one event, as for the product list.
      if (terms.length > 0 && page === 1) {
        await behaviour.record(actorOf(request, reply, config), 'search', { payload: { terms } });
      }
      return sendJson(reply, json);
    },
  );

  r.get(
    '/api/products/:id',
    {
      schema: {
        tags: ['catalog'],
        params: productIdParamsSchema,
        response: { 200: productSchema },
      },
    },
    async (request, reply) => {
      const json = await shopProductJson(listing, db, request.params.id, request.auth?.userId ?? null);
      if (json === null) throw notFound('Product');
      await behaviour.record(actorOf(request, reply, config), 'view', { productId: request.params.id });
      return sendJson(reply, json);
    },
  );
}
