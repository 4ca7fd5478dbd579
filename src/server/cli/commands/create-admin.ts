import { emailSchema, passwordSchema, usernameSchema } from '../../../contract/accounts.ts';
import { ensureAdmin } from '../../modules/accounts/service.ts';
import { type Command, CommandError, parseOptions } from '../command.ts';

export const createAdminCommand: Command = {
  summary: 'Create an admin, or make an existing user an admin and set the password',
  usage: 'create-admin --username NAME --password PASS [--email EMAIL]',
  async run(args, { db, out }) {
    const { values } = parseOptions(args, {
      username: { type: 'string' },
      password: { type: 'string' },
      email: { type: 'string' },
    });
    const check = <T>(
      label: string,
      schema: {
        safeParse(v: unknown): { success: boolean; data?: T; error?: { issues: { message: string }[] } };
      },
      value: unknown,
    ): T => {
      if (value === undefined) throw new CommandError(`--${label} is required`);
      const parsed = schema.safeParse(value);
      if (!parsed.success) throw new CommandError(`--${label}: ${parsed.error!.issues[0].message}`);
      return parsed.data as T;
    };
    const username = check<string>('username', usernameSchema, values.username);
    const password = check<string>('password', passwordSchema, values.password);
    const email = values.email === undefined ? undefined : check<string>('email', emailSchema, values.email);
    const { user, created } = await ensureAdmin(db, { username, password, email });
    out.log(
      created
        ? `Created admin "${user.username}" (id ${user.id}).`
        : `"${user.username}" (id ${user.id}) is now an admin; password updated.`,
    );
  },
};
