import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { exportProducts } from '../../modules/catalog/product-import.ts';
import { type Command, CommandError } from '../command.ts';

export const exportProductsCommand: Command = {
  summary: 'Write every live product to CSV in the columns import-products reads',
  usage: 'export-products FILE.csv',
  async run(args, { db, out }) {
    if (args.length !== 1 || args[0].startsWith('-')) throw new CommandError('Give exactly one CSV file');
    const stream = createWriteStream(args[0]);
    const opened = new Promise<void>((done, fail) => stream.once('open', () => done()).once('error', fail));
    try {
      await opened;
    } catch (error) {
      throw new CommandError(`Cannot write ${args[0]}: ${(error as Error).message}`);
    }
    const count = await exportProducts(db, stream);
    stream.end();
    await finished(stream);
    out.log(`Exported ${count} products to ${args[0]}.`);
  },
};
