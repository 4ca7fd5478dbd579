import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/server/cli/main.ts';
import { createDb, type Db } from '../src/server/db/database.ts';
import { verifyPassword } from '../src/server/modules/accounts/passwords.ts';
import { spawnNpmScript } from './support/npm-scripts.ts';

// create-admin takes the password from --password, CARTWISE_ADMIN_PASSWORD, or a piped line of
// standard input, in that order, so it need not appear in the process list or shell history.

function capture() {
  const lines: string[] = [];
  const push = (...a: unknown[]) => void lines.push(a.join(' '));
  return { text: () => lines.join('\n'), out: { log: push, error: push } };
}

describe('create-admin password sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cartwise-admin-pass-'));
  const url = `sqlite:${join(dir, 'admins.sqlite')}`;
  let db: Db;
  const passwordOf = async (username: string) =>
    (
      await db
        .selectFrom('users')
        .select('password_hash')
        .where('username', '=', username)
        .executeTakeFirstOrThrow()
    ).password_hash;

  beforeAll(() => {
    process.env.DATABASE_URL = url;
    process.env.DATA_DIR = dir;
    delete process.env.CARTWISE_ADMIN_PASSWORD;
    db = createDb(url);
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads one line of piped standard input when --password is absent (as a process)', async () => {
    const run = spawnNpmScript('cartwise', {
      cwd: dir,
      env: { DATABASE_URL: url, DATA_DIR: dir },
      args: ['create-admin', '--username', 'piped_admin'],
      stdin: 'piped-admin-pass\nsecond line is ignored\n',
    });
    expect(await run.exited, run.stderr()).toBe(0);
    expect(run.stdout()).toMatch(/Created admin "piped_admin"/);
    expect(await verifyPassword(await passwordOf('piped_admin'), 'piped-admin-pass')).toBe(true);
  });

  it('takes CARTWISE_ADMIN_PASSWORD before standard input, and --password before both', async () => {
    process.env.CARTWISE_ADMIN_PASSWORD = 'from-the-environment';
    try {
      const fromEnv = capture();
      const stdin = Readable.from(['from-standard-input\n']);
      expect(await runCli(['create-admin', '--username', 'piped_admin'], fromEnv.out, stdin)).toBe(0);
      expect(fromEnv.text()).toMatch(/now an admin; password updated/);
      expect(await verifyPassword(await passwordOf('piped_admin'), 'from-the-environment')).toBe(true);

      const fromOption = capture();
      const args = ['create-admin', '--username', 'piped_admin', '--password', 'from-the-option'];
      expect(await runCli(args, fromOption.out, Readable.from(['from-standard-input\n']))).toBe(0);
      expect(await verifyPassword(await passwordOf('piped_admin'), 'from-the-option')).toBe(true);

      process.env.CARTWISE_ADMIN_PASSWORD = 'short';
      const weak = capture();
      expect(await runCli(['create-admin', '--username', 'piped_admin'], weak.out)).toBe(2);
      expect(weak.text()).toMatch(/^CARTWISE_ADMIN_PASSWORD: /);
    } finally {
      delete process.env.CARTWISE_ADMIN_PASSWORD;
    }
    // A refused password changed nothing.
    expect(await verifyPassword(await passwordOf('piped_admin'), 'from-the-option')).toBe(true);
  });

  it('refuses an empty or weak line on standard input, and a terminal without --password', async () => {
    const empty = capture();
    expect(await runCli(['create-admin', '--username', 'nobody_1'], empty.out, Readable.from([]))).toBe(2);
    expect(empty.text()).toMatch(/standard input/);
    const weak = capture();
    const short = Readable.from(['short\n']);
    expect(await runCli(['create-admin', '--username', 'nobody_1'], weak.out, short)).toBe(2);
    expect(weak.text()).toMatch(/^the password on standard input: /);
    const terminal = Object.assign(Readable.from(['typed-at-a-terminal\n']), { isTTY: true });
    const tty = capture();
    expect(await runCli(['create-admin', '--username', 'nobody_1'], tty.out, terminal)).toBe(2);
    expect(tty.text()).toMatch(/a password is required: --password PASS, CARTWISE_ADMIN_PASSWORD/);
    expect(await db.selectFrom('users').select('id').where('username', '=', 'nobody_1').execute()).toEqual(
      [],
    );
  });
});
