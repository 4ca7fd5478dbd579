/**
 * `npm run cartwise -- <command> [options]`: the Cartwise command line.
 *
 * Adding a command: create `commands/<name>.ts` exporting a `Command` (see ./command.ts) — a
 * one-line summary, a usage string, and `run(args, context)` that parses its own options with
 * `node:util` parseArgs — then add one line to COMMANDS below. Every command runs against the
 * database DATABASE_URL names, migrated to the latest schema first (except `migrate`, which
 * manages the schema itself), so it works on a fresh database and while the server is running on
 * the same one.
 */
import { loadConfig } from '../config.ts';
import { createDb } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { type Command, type CommandContext, CommandError, type CommandInput } from './command.ts';
import { backtestCommand } from './commands/backtest.ts';
import { createAdminCommand } from './commands/create-admin.ts';
import { exportDatasetCommand } from './commands/export-dataset.ts';
import { exportProductsCommand } from './commands/export-products.ts';
import { importOrdersCommand } from './commands/import-orders.ts';
import { importProductsCommand } from './commands/import-products.ts';
import { migrateCommand } from './commands/migrate.ts';
import { seedCommand } from './commands/seed.ts';
import { simulateCommand } from './commands/simulate.ts';
import { trainCommand } from './commands/train.ts';

const COMMANDS: Record<string, Command> = {
  'create-admin': createAdminCommand,
  seed: seedCommand,
  simulate: simulateCommand,
  'import-orders': importOrdersCommand,
  'import-products': importProductsCommand,
  'export-products': exportProductsCommand,
  train: trainCommand,
  backtest: backtestCommand,
  'export-dataset': exportDatasetCommand,
  migrate: migrateCommand,
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: npm run cartwise -- <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun a command with --help for its options.`;
}

/**
 * Runs one command line; returns the process exit code. `input` is standard input: the process
 * entry below passes process.stdin, in-process callers pass a stream or nothing.
 */
export async function runCli(
  argv: string[],
  out: CommandContext['out'] = console,
  input?: CommandInput,
): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out.log(help());
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) {
    out.error(`Unknown command "${name}".\n\n${help()}`);
    return 1;
  }
  if (args.includes('--help') || args.includes('-h')) {
    out.log(`${command.summary}\n\nUsage: npm run cartwise -- ${command.usage}`);
    return 0;
  }
  const config = loadConfig();
  const db = createDb(config.DATABASE_URL);
  try {
    if (!command.managesSchema) await migrateToLatest(db);
    await command.run(args, { config, db, out, env: process.env, input });
    return 0;
  } catch (error) {
    if (error instanceof CommandError) {
      out.error(`${error.message}\n\nUsage: npm run cartwise -- ${command.usage}`);
      return 2;
    }
    throw error;
  } finally {
    await db.destroy();
  }
}

if (import.meta.main) {
  runCli(process.argv.slice(2), console, process.stdin).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
