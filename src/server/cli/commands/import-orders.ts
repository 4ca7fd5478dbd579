import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ImportError, parseOrdersCsv } from '../../modules/ml/data/import-orders.ts';
import { importOrders } from '../../modules/ml/data/import-writer.ts';
import { type Command, CommandError } from '../command.ts';

export const importOrdersCommand: Command = {
  summary:
    'Import past sales (customer_id,date,amount[,quantity][,product|sku]; dollars) as customers and closed orders',
  usage: 'import-orders FILE.csv [--skip-invalid]',
  async run(args, { db, out }) {
    let parsedArgs: ReturnType<typeof readArgs>;
    try {
      parsedArgs = readArgs(args);
    } catch (error) {
      throw new CommandError((error as Error).message);
    }
    const { values, positionals } = parsedArgs;
    if (positionals.length !== 1) throw new CommandError('Give exactly one CSV file');
    const [file] = positionals;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new CommandError(`Cannot read ${file}: ${(error as Error).message}`);
    }
    let parsed: ReturnType<typeof parseOrdersCsv>;
    try {
      parsed = parseOrdersCsv(text, { skipInvalid: values['skip-invalid'] === true });
    } catch (error) {
      if (error instanceof ImportError) throw new CommandError(error.message);
      throw error;
    }
    if (parsed.skipped) {
      out.log(`Skipping ${parsed.skipped} invalid line(s) (--skip-invalid):`);
      for (const p of parsed.problems.slice(0, 20)) out.log(`  ${p}`);
      if (parsed.problems.length > 20) out.log(`  … and ${parsed.problems.length - 20} more`);
    }
    out.log(`Importing ${parsed.orders.length} orders…`);
    const result = await importOrders(db, parsed.orders, (done, total) =>
      out.log(`  ${done}/${total} orders`),
    );
    out.log(
      `Imported ${result.ordersImported} closed orders for ${result.customersCreated} new customers` +
        (result.productsCreated
          ? `; ${result.productsCreated} products not in the catalog added as archived`
          : '') +
        (result.duplicatesSkipped ? `; ${result.duplicatesSkipped} already imported lines skipped.` : '.') +
        (parsed.skipped ? ` ${parsed.skipped} invalid line(s) skipped.` : ''),
    );
  },
};

const readArgs = (args: string[]) =>
  parseArgs({ args, options: { 'skip-invalid': { type: 'boolean' } }, strict: true, allowPositionals: true });
