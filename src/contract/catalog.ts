import { z } from 'zod';
import { multiLine, singleLine } from './text.ts';

/** Catalog shapes shared by the server and the web app (API.md, "Catalog"). */

export const MAX_PRICE_CENTS = 100_000_000;
export const MAX_STOCK = 1_000_000;

export const categoryRefSchema = z.object({ id: z.number().int(), name: z.string(), slug: z.string() });

export const categorySchema = categoryRefSchema.extend({ productCount: z.number().int() });
export type Category = z.infer<typeof categorySchema>;

export const productSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  category: categoryRefSchema,
  priceCents: z.number().int(),
  stock: z.number().int(),
  imageUrl: z.string().nullable(),
  /** Present only when signed in. */
  isFavorite: z.boolean().optional(),
});
export type Product = z.infer<typeof productSchema>;

/** What the admin console lists: archived products too, flagged. */
export const adminProductSchema = productSchema.extend({
  archived: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AdminProduct = z.infer<typeof adminProductSchema>;

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
  });
}

export const productSortSchema = z.enum(['name', '-name', 'price', '-price', 'stock', '-stock', 'newest']);
export type ProductSort = z.infer<typeof productSortSchema>;

// Query strings arrive as text: accept plain decimal digits only ("1e3", "0x10", " 5" and "" are 422).
const count = (max: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/, 'Must be a whole number ≥ 0')
    .transform(Number)
    .pipe(z.number().max(max, `Must be at most ${max}`));

export const productListQuerySchema = z.object({
  q: z.string().max(500).optional().describe('Comma-separated terms; a name containing any term matches'),
  category: z
    .string()
    .max(100)
    .regex(/^[a-z0-9-]+$/, 'Must be a category slug')
    .optional(),
  priceLt: count(MAX_PRICE_CENTS + 1).optional(),
  priceGt: count(MAX_PRICE_CENTS).optional(),
  priceEq: count(MAX_PRICE_CENTS).optional(),
  stockLt: count(MAX_STOCK + 1).optional(),
  stockGt: count(MAX_STOCK).optional(),
  stockEq: count(MAX_STOCK).optional(),
  inStock: z.enum(['true', 'false']).optional(),
  sort: productSortSchema
    .optional()
    .describe(
      'Default: relevance when `q` has terms (exact name, name starts with, a word starts with, other), else name',
    ),
  page: count(1_000_000).pipe(z.number().min(1, 'Must be at least 1')).default(1),
  pageSize: count(100).pipe(z.number().min(1, 'Must be at least 1')).default(24),
});
export type ProductListQuery = z.input<typeof productListQuerySchema>;

export const adminProductListQuerySchema = productListQuerySchema.extend({
  archived: z.enum(['true', 'false']).optional().describe('Only archived (true) or only live (false)'),
});

/** Images the shop serves itself: shipped demo images or admin uploads. */
export const imageUrlSchema = z
  .string()
  .regex(/^\/(images|uploads)\/[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Must be an /images/… or /uploads/… path');

export const createProductSchema = z.object({
  name: singleLine(z.string().trim().min(1, 'Must not be blank').max(200)),
  description: multiLine(z.string().trim().min(1, 'Must not be blank').max(5000)),
  categoryId: z.number().int().min(1).max(2_147_483_647),
  priceCents: z.number().int().min(0).max(MAX_PRICE_CENTS),
  stock: z.number().int().min(0).max(MAX_STOCK),
  imageUrl: imageUrlSchema.nullable().optional(),
});
export type CreateProductInput = z.input<typeof createProductSchema>;

export const updateProductSchema = createProductSchema
  .partial()
  .extend({ archived: z.boolean().optional().describe('false restores an archived product') })
  .strict();
export type UpdateProductInput = z.input<typeof updateProductSchema>;

export const stockAdjustmentSchema = z.object({
  delta: z.number().int().min(-MAX_STOCK).max(MAX_STOCK),
  reason: singleLine(z.string().trim().min(1).max(200))
    .optional()
    .describe('Why the stock changed (received shipment, count correction, …); kept in the audit trail'),
});

export const stockAdjustmentEntrySchema = z.object({
  id: z.number().int(),
  delta: z.number().int(),
  stockAfter: z.number().int(),
  reason: z.string().nullable(),
  adminUsername: z.string().nullable(),
  createdAt: z.string(),
});
export type StockAdjustmentEntry = z.infer<typeof stockAdjustmentEntrySchema>;

/** Caps of `GET /api/search` (API.md): longer queries are 422, words after the 8th are ignored. */
export const MAX_SEARCH_QUERY_CHARS = 200;
export const MAX_SEARCH_PAGE_SIZE = 50;
/** How deep a search may page (page × pageSize). */
export const MAX_SEARCH_DEPTH = 1_000;

export const searchQuerySchema = z
  .object({
    q: z
      .string()
      .max(MAX_SEARCH_QUERY_CHARS)
      .describe(
        'Free text: words over name, description and category, typo-tolerant (one edit for 5+ letters, two for 9+), ranked; the first 8 distinct words count',
      ),
    page: count(1_000).pipe(z.number().min(1, 'Must be at least 1')).default(1),
    pageSize: count(MAX_SEARCH_PAGE_SIZE).pipe(z.number().min(1, 'Must be at least 1')).default(24),
  })
  .refine((v) => v.page * v.pageSize <= MAX_SEARCH_DEPTH, {
    message: `page × pageSize may be at most ${MAX_SEARCH_DEPTH}`,
    path: ['page'],
  });
export type SearchQuery = z.input<typeof searchQuerySchema>;

export const searchPageSchema = pageSchema(productSchema).extend({
  didYouMean: z.string().optional().describe('The query with corrected words, when a word was corrected'),
});
export type SearchPage = z.infer<typeof searchPageSchema>;

/** What a products CSV import did (`POST /api/admin/products/import`, `import-products`). */
export const productImportSummarySchema = z.object({
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  categoriesCreated: z.number().int(),
});
export type ProductImportSummary = z.infer<typeof productImportSummarySchema>;

/** Each problem of a refused import (422 `invalid_csv`, member `problems`). */
export const csvProblemSchema = z.object({
  line: z.number().int(),
  column: z.string().optional(),
  message: z.string(),
});
export type CsvProblemEntry = z.infer<typeof csvProblemSchema>;
