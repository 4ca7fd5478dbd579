import { writeFileSync } from 'node:fs';
import { datasetCsv } from '../../modules/ml/dataset.ts';
import { type Command, CommandError } from '../command.ts';

export const exportDatasetCommand: Command = {
  summary:
    'Write the training dataset (features before each cutoff, labels after; money in dollars) to a CSV file',
  usage: 'export-dataset FILE.csv',
  async run(args, { db, config, out }) {
    if (args.length !== 1 || args[0].startsWith('-')) throw new CommandError('Give exactly one output file');
    const csv = await datasetCsv(db, config);
    writeFileSync(args[0], csv);
    out.log(`Wrote ${csv.trim().split('\n').length - 1} rows to ${args[0]}.`);
  },
};
