import type { z } from 'zod';
import { emailSchema, passwordSchema, usernameSchema } from '../../../contract/accounts.ts';
import { weakPasswordReason } from '../../modules/accounts/password-policy.ts';
import { ensureAdmin } from '../../modules/accounts/service.ts';
import { type Command, CommandError, parseOptions } from '../command.ts';

/** The option's value checked by the same rule the API applies. */
function option(name: string, schema: z.ZodType<string, string>, value: string | undefined): string {
  if (value === undefined) throw new CommandError(`--${name} is required`);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CommandError(`--${name}: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

export const createAdminCommand: Command = {
  summary: 'Create an admin, or make an existing user an admin and set the password',
  usage: 'create-admin --username NAME --password PASS [--email EMAIL]',
  async run(args, { db, out }) {
    const { values } = parseOptions(args, {
      username: { type: 'string' },
      password: { type: 'string' },
      email: { type: 'string' },
    });
    const username = option('username', usernameSchema, values.username);
    const password = option('password', passwordSchema, values.password);
    const email = values.email === undefined ? undefined : option('email', emailSchema, values.email);
    const weak = weakPasswordReason(password, { username, email });
    if (weak) throw new CommandError(`--password: ${weak}`);
    const { user, created } = await ensureAdmin(db, { username, password, email });
    out.log(
      created
        ? `Created admin "${user.username}" (id ${user.id}).`
        : `"${user.username}" (id ${user.id}) is now an admin; password updated.`,
    );
  },
};
