import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adminProductListQuerySchema,
  adminProductSchema,
  categorySchema,
  createProductSchema,
  pageSchema,
  productListQuerySchema,
  productSchema,
  stockAdjustmentEntrySchema,
  stockAdjustmentSchema,
  updateProductSchema,
} from '../../../contract/catalog.ts';
import type { Config } from '../../config.ts';
import { guestIdOf, requireAdmin } from '../../http/auth.ts';
import { AppError, notFound } from '../../app-error.ts';
import { routeGroup } from '../../http/route-kit.ts';
import { sendJson } from '../../http/send-json.ts';
import type { ModuleDeps } from '../../module-deps.ts';
import type { Actor } from '../events/service.ts';
import {
  adjustStock,
  listStockAdjustments,
  createProduct,
  getProduct,
  listAdminProducts,
  listCategories,
  shopProductsJson,
  MAX_IMAGE_BYTES,
  removeProduct,
  setProductImage,
  splitSearchTerms,
  updateProduct,
  uploadsDir,
} from './service.ts';
import { productIdParamsSchema } from './schemas.ts';

/** Product illustrations that ship with the project (see src/server/db/seed/images). */
export const SHIPPED_IMAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../db/seed/images');

function actorOf(request: FastifyRequest, reply: FastifyReply, config: Config): Actor {
  return request.auth
    ? { userId: request.auth.userId, guestId: null }
    : { userId: null, guestId: guestIdOf(request, reply, config) };
}

export async function registerCatalogRoutes(
  app: FastifyInstance,
  deps: Pick<ModuleDeps, 'db' | 'config' | 'listing' | 'behaviour'>,
) {
  const { db, config, listing, behaviour } = deps;
  // Admin writes show in this process's shop listing at once (set before the response goes out).
  const catalogChanged = async () => {
    listing.invalidate();
  };
  const r = app.withTypeProvider<ZodTypeProvider>();

  // Shipped illustrations and admin uploads; file names are unique, so they may be cached.
  const uploads = uploadsDir(config.DATA_DIR);
  mkdirSync(uploads, { recursive: true });
  await app.register(fastifyStatic, {
    root: SHIPPED_IMAGES_DIR,
    prefix: '/images/',
    decorateReply: false,
    maxAge: '1d',
  });
  await app.register(fastifyStatic, {
    root: uploads,
    prefix: '/uploads/',
    decorateReply: false,
    maxAge: '365d',
    immutable: true,
  });

  r.get(
    '/api/categories',
    { schema: { tags: ['catalog'], response: { 200: z.array(categorySchema) } } },
    async () => listCategories(db),
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
      const { q, category, inStock, ...rest } = request.query;
      const terms = splitSearchTerms(q);
      const viewer = request.auth?.userId ?? null;
      const json = await shopProductsJson(
        listing,
        db,
        { ...rest, terms, categorySlug: category, inStock: inStock === 'true' },
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
    '/api/products/:id',
    {
      schema: {
        tags: ['catalog'],
        params: productIdParamsSchema,
        response: { 200: productSchema },
      },
    },
    async (request, reply) => {
      const product = await getProduct(db, request.params.id, request.auth?.userId ?? null);
      if (!product) throw notFound('Product');
      const actor = actorOf(request, reply, config);
      await behaviour.record(actor, 'view', { productId: product.id });
      return product;
    },
  );

  // ---- Administration: one admin group, checked before anything is parsed ----
  await routeGroup(app, 'admin', async (r, admin) => {
    r.get(
      '/api/admin/products',
      {
        schema: {
          tags: ['admin'],
          summary: 'All products, archived ones included and flagged',
          querystring: adminProductListQuerySchema,
          response: { 200: pageSchema(adminProductSchema) },
        },
      },
      async (request) => {
        const { q, category, inStock, archived, ...rest } = request.query;
        return listAdminProducts(db, {
          ...rest,
          terms: splitSearchTerms(q),
          categorySlug: category,
          inStock: inStock === 'true',
          archived: archived === undefined ? 'all' : archived === 'true' ? 'only' : undefined,
        });
      },
    );

    r.post(
      '/api/admin/products',
      {
        onSend: catalogChanged,
        schema: {
          tags: ['admin'],
          body: createProductSchema,
          response: { 201: adminProductSchema },
        },
      },
      async (request, reply) => reply.code(201).send(await createProduct(db, request.body)),
    );

    r.patch(
      '/api/admin/products/:id',
      {
        onSend: catalogChanged,
        schema: {
          tags: ['admin'],
          params: productIdParamsSchema,
          body: updateProductSchema,
          response: { 200: adminProductSchema },
        },
      },
      async (request) => updateProduct(db, request.params.id, request.body),
    );

    r.delete(
      '/api/admin/products/:id',
      {
        onSend: catalogChanged,
        schema: {
          tags: ['admin'],
          summary: 'Delete a product, or archive it when it appears in any order',
          params: productIdParamsSchema,
        },
      },
      async (request, reply) => {
        await removeProduct(db, request.params.id);
        return reply.code(204).send();
      },
    );

    r.post(
      '/api/admin/products/:id/stock',
      {
        onSend: catalogChanged,
        schema: {
          tags: ['admin'],
          summary: 'Add to (or, with a negative delta, take from) the stock atomically',
          params: productIdParamsSchema,
          body: stockAdjustmentSchema,
          response: { 200: adminProductSchema },
        },
      },
      async (request) =>
        adjustStock(db, request.params.id, request.body.delta, {
          adminUserId: requireAdmin(request).userId,
          reason: request.body.reason,
        }),
    );

    r.get(
      '/api/admin/products/:id/stock-adjustments',
      {
        schema: {
          tags: ['admin'],
          summary: 'The 50 newest manual stock changes of a product, with who made them and why',
          params: productIdParamsSchema,
          response: { 200: z.array(stockAdjustmentEntrySchema) },
        },
      },
      async (request) => listStockAdjustments(db, request.params.id),
    );

    // Multipart parsing only where it is needed.
    await admin.register(async (scope) => {
      await scope.register(multipart, {
        limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 5, parts: 6 },
      });
      scope.withTypeProvider<ZodTypeProvider>().post(
        '/api/admin/products/:id/image',
        {
          onSend: catalogChanged,
          bodyLimit: MAX_IMAGE_BYTES + 64 * 1024,
          schema: {
            tags: ['admin'],
            summary: 'Upload the product image (multipart; PNG, JPEG or WebP up to 5 MB)',
            consumes: ['multipart/form-data'],
            params: productIdParamsSchema,
            response: { 200: adminProductSchema },
          },
        },
        async (request) => {
          let bytes: Buffer;
          try {
            const file = await request.file();
            if (!file)
              throw new AppError(422, 'validation_failed', 'Attach the image as a file part', {
                errors: [{ field: 'file', in: 'body', message: 'Required' }],
              });
            bytes = await file.toBuffer();
          } catch (error) {
            const status = (error as { statusCode?: number }).statusCode;
            if (status === 413) throw new AppError(413, 'payload_too_large', 'The image may be at most 5 MB');
            if (error instanceof AppError || (status && status >= 400 && status < 500)) throw error;
            // The multipart parser reports a truncated or garbled body without a status code.
            throw new AppError(400, 'malformed_body', 'The multipart body could not be read');
          }
          return setProductImage(db, config.DATA_DIR, request.params.id, bytes);
        },
      );
    });
  });
}
