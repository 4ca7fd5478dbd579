import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adminProductListQuerySchema,
  adminProductSchema,
  createProductSchema,
  pageSchema,
  productImportSummarySchema,
  stockAdjustmentEntrySchema,
  stockAdjustmentSchema,
  updateProductSchema,
} from '../../../contract/catalog.ts';
import { AppError } from '../../app-error.ts';
import { requireAdmin } from '../../http/auth.ts';
import { routeGroup } from '../../http/route-kit.ts';
import multipart from '@fastify/multipart';
import {
  adjustStock,
  type CatalogContext,
  createProduct,
  listAdminProducts,
  listStockAdjustments,
  removeProduct,
  updateProduct,
} from './admin-products.ts';
import type { ImageStore } from './image-store.ts';
import { MAX_IMAGE_BYTES, setProductImage } from './images.ts';
import { MAX_PRODUCT_CSV_BYTES, ProductCsvError } from './product-csv.ts';
import { importProducts } from './product-import.ts';
import { productIdParamsSchema } from './schemas.ts';
import { splitSearchTerms } from './shop-reads.ts';

/** The header of `DELETE /api/admin/products/:id` that says what happened (decision 120). */
export const REMOVAL_HEADER = 'product-removal';

/** The console's product management. The write services tell the shop listing themselves. */
export async function registerAdminCatalogRoutes(
  app: FastifyInstance,
  deps: CatalogContext & { images: ImageStore },
) {
  const { db, images } = deps;
  const ctx: CatalogContext = { db, listing: deps.listing };
  // One admin group, checked before anything is parsed.
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
        schema: {
          tags: ['admin'],
          body: createProductSchema,
          response: { 201: adminProductSchema },
        },
      },
      async (request, reply) => reply.code(201).send(await createProduct(ctx, request.body)),
    );

    r.patch(
      '/api/admin/products/:id',
      {
        schema: {
          tags: ['admin'],
          summary: 'Change any of the fields; `archived: true` archives (any product), `false` restores',
          params: productIdParamsSchema,
          body: updateProductSchema,
          response: { 200: adminProductSchema },
        },
      },
      async (request) => updateProduct(ctx, request.params.id, request.body),
    );

    r.delete(
      '/api/admin/products/:id',
      {
        schema: {
          tags: ['admin'],
          summary: 'Delete a product, or archive it when it appears in any order',
          description:
            'Answers 204 with the header `Product-Removal: deleted` (the row is gone) or ' +
            '`Product-Removal: archived` (it appears in an order or a cart: hidden from the shop, kept ' +
            'in history; `PATCH { archived: false }` restores it).',
          params: productIdParamsSchema,
          response: {
            204: z.null().describe('Removed; the Product-Removal header says whether deleted or archived'),
          },
        },
      },
      async (request, reply) => {
        const removal = await removeProduct(ctx, request.params.id);
        return reply.code(204).header(REMOVAL_HEADER, removal).send(null);
      },
    );

    r.post(
      '/api/admin/products/:id/stock',
      {
        schema: {
          tags: ['admin'],
          summary: 'Add to (or, with a negative delta, take from) the stock atomically',
          params: productIdParamsSchema,
          body: stockAdjustmentSchema,
          response: { 200: adminProductSchema },
        },
      },
      async (request) =>
        adjustStock(ctx, request.params.id, request.body.delta, {
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

    // The console's CSV upload: the body is the file itself (text/csv), as the CLI reads it.
    await admin.register(async (scope) => {
      scope.addContentTypeParser(
        ['text/csv', 'application/csv'],
        { parseAs: 'buffer', bodyLimit: MAX_PRODUCT_CSV_BYTES },
        (_request, body, done) => done(null, body),
      );
      scope.withTypeProvider<ZodTypeProvider>().post(
        '/api/admin/products/import',
        {
          bodyLimit: MAX_PRODUCT_CSV_BYTES,
          schema: {
            tags: ['admin'],
            summary: 'Import or update products from a CSV file (body: text/csv); all or nothing',
            description:
              'Columns `name,description,category,price,stock[,image]` (price in currency units, ' +
              'category by name, created when missing; `image` an /images/… or /uploads/… path). A ' +
              'product with the same name (any case) is updated. Any bad row: 422 `invalid_csv` with ' +
              '`problems: [{ line, column?, message }]` and nothing written. At most 100 MB.',
            consumes: ['text/csv'],
            response: { 200: productImportSummarySchema },
          },
        },
        async (request) => {
          if (!Buffer.isBuffer(request.body)) {
            throw new AppError(415, 'unsupported_media_type', 'Send the file as text/csv');
          }
          try {
            return await importProducts({ ...ctx, images }, request.body, {
              allowFiles: false,
            });
          } catch (error) {
            if (!(error instanceof ProductCsvError)) throw error;
            throw new AppError(
              422,
              'invalid_csv',
              `The file has ${error.problems.length} problem(s); nothing was imported`,
              {
                problems: error.problems,
              },
            );
          }
        },
      );
    });

    // Multipart parsing only where it is needed.
    await admin.register(async (scope) => {
      await scope.register(multipart, {
        limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 5, parts: 6 },
      });
      scope.withTypeProvider<ZodTypeProvider>().post(
        '/api/admin/products/:id/image',
        {
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
          return setProductImage({ ...ctx, images }, request.params.id, bytes);
        },
      );
    });
  });
}
