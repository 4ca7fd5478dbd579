import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/database.ts';
import type { CatalogContext } from './admin-products.ts';
import type { ImageStore } from './image-store.ts';
import { sniffImageType, storeUploadedImage } from './images.ts';
import {
  type CsvProblem,
  imageSourceOf,
  PRODUCT_CSV_COLUMNS,
  ProductCsvError,
  type ProductCsvRow,
  parseProductCsv,
  slugOf,
} from './product-csv.ts';
import {
  insertCategory,
  insertProducts,
  restampProducts,
  selectAllCategories,
  selectProductNameKeys,
  selectProductsForExport,
  updateImportedProduct,
} from './queries.ts';

/**
 * Bulk products in and out (issue 17, decision 122): all or nothing — every row is checked before
 * anything is written, and the writes run in one transaction — then the shop listing and search
 * index are told, as for any catalog write.
 */

export interface ImportSummary {
  rows: number;
  created: number;
  updated: number;
  categoriesCreated: number;
}

export interface ImportOptions {
  /** Local files in the `image` column (the CLI): read relative to `baseDir`. */
  allowFiles: boolean;
  baseDir?: string;
  /** Called after each batch of rows written. */
  onProgress?: (done: number, total: number) => void;
}

const BATCH = 500;

/** Reads the local pictures a file names, stores each once, and returns path → URL. */
async function storeImageFiles(
  ctx: CatalogContext & { images: ImageStore },
  rows: ProductCsvRow[],
  baseDir: string,
): Promise<Map<string, string>> {
  const files = new Map<string, Buffer>();
  const problems: CsvProblem[] = [];
  for (const row of rows) {
    if (row.image === undefined) continue;
    const source = imageSourceOf(row.image);
    if (source.kind !== 'file' || files.has(source.path)) continue;
    try {
      const bytes = await readFile(resolve(baseDir, source.path));
      if (sniffImageType(bytes)) files.set(source.path, bytes);
      else
        problems.push({
          line: row.line,
          column: 'image',
          message: `${source.path} is not a PNG, JPEG or WebP file`,
        });
    } catch (error) {
      problems.push({
        line: row.line,
        column: 'image',
        message: `Cannot read ${source.path}: ${(error as Error).message}`,
      });
    }
  }
  if (problems.length > 0) throw new ProductCsvError(problems);
  const urls = new Map<string, string>();
  for (const [path, bytes] of files) urls.set(path, await storeUploadedImage(ctx, 'import', bytes));
  return urls;
}

/** Imports a products CSV; throws ProductCsvError (every problem, nothing written) on any bad row. */
export async function importProducts(
  ctx: CatalogContext & { images: ImageStore },
  input: string | Buffer,
  options: ImportOptions,
): Promise<ImportSummary> {
  const rows = parseProductCsv(input, { allowFiles: options.allowFiles });
  const imageUrls = options.allowFiles
    ? await storeImageFiles(ctx, rows, options.baseDir ?? process.cwd())
    : new Map<string, string>();
  const imageOf = (row: ProductCsvRow) => {
    if (row.image === undefined) return undefined;
    const source = imageSourceOf(row.image);
    return source.kind === 'url' ? source.url : imageUrls.get(source.path);
  };
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const categoryIds = new Map<string, number>();
      let categoriesCreated = 0;
      for (const c of await selectAllCategories(trx)) {
        categoryIds.set(`name:${c.name.toLowerCase()}`, c.id);
        categoryIds.set(`slug:${c.slug}`, c.id);
      }
      const categoryOf = async (name: string) => {
        const slug = slugOf(name);
        let id = categoryIds.get(`name:${name.toLowerCase()}`) ?? categoryIds.get(`slug:${slug}`);
        if (id === undefined) {
          id = await insertCategory(trx, { name, slug });
          categoriesCreated++;
          categoryIds.set(`name:${name.toLowerCase()}`, id);
          categoryIds.set(`slug:${slug}`, id);
        }
        return id;
      };
      const existing = await selectProductNameKeys(trx);
      let created = 0;
      let updated = 0;
      const now = Date.now();
      for (let start = 0; start < rows.length; start += BATCH) {
        const batch = rows.slice(start, start + BATCH);
        const inserts = [];
        for (const row of batch) {
          const values = {
            name: row.name,
            description: row.description,
            category_id: await categoryOf(row.category),
            price_cents: row.priceCents,
            stock: row.stock,
          };
          const id = existing.get(row.name.toLowerCase());
          const image = imageOf(row);
          if (id === undefined) {
            inserts.push({ ...values, image_path: image ?? null, created_at: now, updated_at: now });
          } else {
            await updateImportedProduct(
              trx,
              id,
              { ...values, ...(image === undefined ? {} : { image_path: image }) },
              now,
            );
            updated++;
          }
        }
        if (inserts.length > 0) await insertProducts(trx, inserts);
        created += inserts.length;
        options.onProgress?.(Math.min(rows.length, start + BATCH), rows.length);
      }
      // A large import commits long after `now`; other instances' listings only look a few
      // seconds back (shop-listing.ts), so the rows get the time they become visible.
      await restampProducts(trx, now, Date.now());
      return { rows: rows.length, created, updated, categoriesCreated };
    });
  } finally {
    ctx.listing?.invalidate();
  }
}

/** Writes every live product as the import reads them (price in currency units); returns the count. */
export async function exportProducts(db: Db, out: Writable): Promise<number> {
  const write = (text: string) =>
    new Promise<void>((done, fail) =>
      out.write(text) ? done() : out.once('drain', done).once('error', fail),
    );
  await write(stringify([[...PRODUCT_CSV_COLUMNS]]));
  let count = 0;
  for (let after = 0; ; ) {
    const page = await selectProductsForExport(db, after, 5_000);
    if (page.length === 0) break;
    await write(
      stringify(
        page.map((p) => [
          p.name,
          p.description,
          p.category,
          (p.price_cents / 100).toFixed(2),
          p.stock,
          p.image_path ?? '',
        ]),
      ),
    );
    count += page.length;
    after = page[page.length - 1].id;
  }
  return count;
}
