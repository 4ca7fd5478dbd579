import { createInterface } from 'node:readline';
import type { z } from 'zod';
import { emailSchema, passwordSchema, usernameSchema } from '../../../contract/accounts.ts';
import { weakPasswordReason } from '../../modules/accounts/password-policy.ts';
import { ensureAdmin } from '../../modules/accounts/service.ts';
import { type Command, type CommandContext, CommandError, parseOptions } from '../command.ts';

/** The environment variable create-admin takes the password from when --password is absent. */
export const ADMIN_PASSWORD_VARIABLE = 'CARTWISE_ADMIN_PASSWORD';

/** A value checked by the same rule the API applies; `source` names it in the error. */
function checked(source: string, schema: z.ZodType<string, string>, value: string): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CommandError(`${source}: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

function required(name: string, value: string | undefined): string {
  if (value === undefined) throw new CommandError(`--${name} is required`);
  return value;
}

/** The first line of a piped standard input ('' when it ends first). */
async function firstLine(input: NonNullable<CommandContext['input']>): Promise<string> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

/**
 * --password, else CARTWISE_ADMIN_PASSWORD, else one line of standard input when it is piped (not a
 * terminal). The two latter keep the password out of the process list and the shell history.
 */
async function password(option: string | undefined, { env, input }: CommandContext): Promise<string> {
  if (option !== undefined) return checked('--password', passwordSchema, option);
  const fromEnv = env[ADMIN_PASSWORD_VARIABLE];
  if (fromEnv) return checked(ADMIN_PASSWORD_VARIABLE, passwordSchema, fromEnv);
  if (input && !input.isTTY) {
    return checked('the password on standard input', passwordSchema, await firstLine(input));
  }
  throw new CommandError(
    `a password is required: --password PASS, ${ADMIN_PASSWORD_VARIABLE}, or one line on standard input`,
  );
}

export const createAdminCommand: Command = {
  summary: 'Create an admin, or make an existing user an admin and set the password',
  usage: `create-admin --username NAME [--password PASS] [--email EMAIL]  (password also from ${ADMIN_PASSWORD_VARIABLE} or standard input)`,
  async run(args, context) {
    const { values } = parseOptions(args, {
      username: { type: 'string' },
      password: { type: 'string' },
      email: { type: 'string' },
    });
    const username = checked('--username', usernameSchema, required('username', values.username));
    const email = values.email === undefined ? undefined : checked('--email', emailSchema, values.email);
    const chosen = await password(values.password, context);
    const weak = weakPasswordReason(chosen, { username, email });
    if (weak) throw new CommandError(`password: ${weak}`);
    const { user, created } = await ensureAdmin(context.db, { username, password: chosen, email });
    context.out.log(
      created
        ? `Created admin "${user.username}" (id ${user.id}).`
        : `"${user.username}" (id ${user.id}) is now an admin; password updated.`,
    );
  },
};
