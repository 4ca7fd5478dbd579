import { readFileSync } from 'node:fs';
import { ImportError, importOrders, parseOrdersCsv } from '../../modules/ml/data/import-orders.ts';
import { type Command, CommandError } from '../command.ts';

export const importOrdersCommand: Command = {
  summary:
    'Import past sales (customer_id,date,amount[,quantity]; amount in dollars) as customers and closed orders',
  usage: 'import-orders FILE.csv',
  async run(args, { db, out }) {
    if (args.length !== 1 || args[0].startsWith('-')) throw new CommandError('Give exactly one CSV file');
    let text: string;
    try {
      text = readFileSync(args[0], 'utf8');
    } catch (error) {
      throw new CommandError(`Cannot read ${args[0]}: ${(error as Error).message}`);
    }
    let orders: ReturnType<typeof parseOrdersCsv>;
    try {
      orders = parseOrdersCsv(text);
    } catch (error) {
      if (error instanceof ImportError) throw new CommandError(error.message);
      throw error;
    }
    out.log(`Importing ${orders.length} orders…`);
    const result = await importOrders(db, orders, (done, total) => out.log(`  ${done}/${total} orders`));
    out.log(
      `Imported ${result.ordersImported} closed orders for ${result.customersCreated} new customers` +
        (result.duplicatesSkipped ? `; ${result.duplicatesSkipped} already imported lines skipped.` : '.'),
    );
  },
};
