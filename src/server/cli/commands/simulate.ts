import { simulateIntoDb } from '../../modules/ml/data/history-writer.ts';
import { type Command, CommandError, parseOptions } from '../command.ts';

export const simulateCommand: Command = {
  summary: 'Add declared-synthetic customers with orders and behaviour from a known generative process',
  usage: 'simulate --customers N --days D [--seed S]',
  async run(args, { db, out }) {
    const { values } = parseOptions(args, {
      customers: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string', default: '1' },
    });
    const customers = wholeNumber(values.customers, '--customers', 1, 1_000_000);
    const days = wholeNumber(values.days, '--days', 1, 3_650);
    const seed = wholeNumber(values.seed, '--seed', 0, 2 ** 31);
    const started = Date.now();
    out.log(`Simulating ${customers} synthetic customers over ${days} days (seed ${seed})…`);
    const totals = await simulateIntoDb(db, {
      customers,
      days,
      seed,
      onProgress: (done, total) =>
        out.log(`  ${done}/${total} customers (${((Date.now() - started) / 1000).toFixed(1)} s)`),
    });
    out.log(
      `Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${totals.customers} customers, ${totals.orders} closed orders, ${totals.events} events, all marked synthetic.`,
    );
  },
};

export function wholeNumber(value: string | undefined, name: string, min: number, max: number): number {
  if (value === undefined) throw new CommandError(`${name} is required`);
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new CommandError(`${name} must be a whole number from ${min} to ${max}`);
  }
  return Number(value);
}
