import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createImageStore } from '../../modules/catalog/create-image-store.ts';
import { ProductCsvError } from '../../modules/catalog/product-csv.ts';
import { importProducts } from '../../modules/catalog/product-import.ts';
import { type Command, CommandError } from '../command.ts';

export const importProductsCommand: Command = {
  summary:
    'Import or update products from CSV (name,description,category,price,stock[,image]); all or nothing',
  usage: 'import-products FILE.csv',
  async run(args, { config, db, out }) {
    if (args.length !== 1 || args[0].startsWith('-')) throw new CommandError('Give exactly one CSV file');
    const file = resolve(args[0]);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      throw new CommandError(`Cannot read ${args[0]}: ${(error as Error).message}`);
    }
    const started = Date.now();
    let lastShown = 0;
    try {
      const summary = await importProducts({ db, images: createImageStore(config, db) }, bytes, {
        allowFiles: true,
        baseDir: dirname(file),
        onProgress: (done, total) => {
          if (done === total || Date.now() - lastShown > 1_000) {
            lastShown = Date.now();
            out.log(`  ${done}/${total} rows`);
          }
        },
      });
      out.log(
        `Imported ${summary.rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
          `${summary.created} products created, ${summary.updated} updated, ` +
          `${summary.categoriesCreated} categories created.`,
      );
    } catch (error) {
      // Exit code 2 with every problem listed; nothing was written.
      if (error instanceof ProductCsvError) throw new CommandError(error.message);
      throw error;
    }
  },
};
