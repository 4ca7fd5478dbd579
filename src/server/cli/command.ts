import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';

export interface CommandContext {
  config: Config;
  /** Already migrated to the latest schema. */
  db: Db;
  out: Pick<Console, 'log' | 'error'>;
}

export interface Command {
  summary: string;
  /** e.g. `create-admin --username NAME --password PASS` */
  usage: string;
  run(args: string[], context: CommandContext): Promise<void>;
}

/** A mistake in the command line: printed with the usage, exit code 2. */
export class CommandError extends Error {}

/** node:util parseArgs, with its errors turned into CommandError. */
export function parseOptions<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new CommandError((error as Error).message);
  }
}
