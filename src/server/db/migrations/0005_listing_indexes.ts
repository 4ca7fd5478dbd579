import type { Kysely } from 'kysely';
import { dropIndexFor } from './helpers.ts';

// The shop's category pages: one index walks a category in price order (the filesort-free
// "sort by price" page) and one answers the page's total from the index alone (category, live,
// in stock, price range). Measured with `npm run bench`:
// docs/decisions/063-listing-indexes-and-planner-statistics.md.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('products_category_price')
    .on('products')
    .columns(['category_id', 'price_cents'])
    .execute();
  await db.schema
    .createIndex('products_category_listing')
    .on('products')
    .columns(['category_id', 'archived', 'stock', 'price_cents'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropIndexFor(db, 'products_category_listing', 'products').execute();
  await dropIndexFor(db, 'products_category_price', 'products').execute();
}
