import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';

export interface CommandContext {
  config: Config;
  /** Already migrated to the latest schema. */
  db: Db;
  out: Pick<Console, 'log' | 'error'>;
  /** The process environment (variables a command reads beyond the configuration). */
  env: NodeJS.ProcessEnv;
  /** Standard input when the command runs as a process; absent when called in-process. */
  input?: CommandInput;
}

/** What a command may read from: process.stdin, or any stream in tests. */
export type CommandInput = NodeJS.ReadableStream & { isTTY?: boolean };

export interface Command {
  summary: string;
  /** e.g. `create-admin --username NAME --password PASS` */
  usage: string;
  run(args: string[], context: CommandContext): Promise<void>;
  /** True for the one command that manages the schema itself: the dispatcher does not migrate first. */
  managesSchema?: boolean;
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
