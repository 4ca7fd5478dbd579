import { writeFileSync } from 'node:fs';
import { backtest, backtestCsv, formatBacktest } from '../../modules/ml/data/backtest.ts';
import { DAY_MS } from '../../modules/ml/features.ts';
import { NotEnoughDataError } from '../../modules/ml/pipeline.ts';
import { externalIds, loadHistories } from '../../modules/ml/queries/histories.ts';
import { type Command, CommandError, parseOptions } from '../command.ts';
import { wholeNumber } from './simulate.ts';

export const backtestCommand: Command = {
  summary: 'Fit every model on data up to a cutoff and score it on the horizon after, beside the baselines',
  usage: 'backtest --cutoff YYYY-MM-DD --horizon DAYS [--out predictions.csv]',
  async run(args, { db, out }) {
    const { values } = parseOptions(args, {
      cutoff: { type: 'string' },
      horizon: { type: 'string' },
      out: { type: 'string' },
    });
    if (
      !values.cutoff ||
      !/^\d{4}-\d{2}-\d{2}$/.test(values.cutoff) ||
      !Number.isFinite(Date.parse(values.cutoff))
    ) {
      throw new CommandError('--cutoff must be a date YYYY-MM-DD');
    }
    const cutoff = Date.parse(`${values.cutoff}T00:00:00Z`);
    const horizon = wholeNumber(values.horizon, '--horizon', 7, 730);
    out.log(`Loading the history…`);
    const histories = await loadHistories(db);
    out.log(`Fitting on data before ${values.cutoff}; scoring on the ${horizon} days after…`);
    let report: ReturnType<typeof backtest>;
    try {
      report = backtest(histories, cutoff, horizon, await externalIds(db));
    } catch (error) {
      if (error instanceof NotEnoughDataError) throw new CommandError(`Not enough data: ${error.message}`);
      throw error;
    }
    if (cutoff + horizon * DAY_MS > Date.now()) {
      out.log(`Note: the horizon runs past today, so the actual values are incomplete.`);
    }
    out.log('');
    out.log(formatBacktest(report));
    if (values.out) {
      writeFileSync(values.out, backtestCsv(report));
      out.log(`\nWrote ${report.rows.length} rows to ${values.out} (money in dollars).`);
    }
  },
};
