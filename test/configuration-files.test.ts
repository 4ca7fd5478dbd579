import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, ROOT } from '../bench/support.ts';
import { CONFIG_VARIABLES } from '../src/server/config.ts';
import { createDb } from '../src/server/db/database.ts';
import { verifyPassword } from '../src/server/modules/accounts/passwords.ts';
import { spawnNpmScript, stop, waitForOk } from './support/npm-scripts.ts';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Every variable config.ts reads: its schema's keys, and any `env.NAME` it reads beside them. */
function variablesConfigReads(): string[] {
  const source = read('src/server/config.ts');
  const direct = [...source.matchAll(/\benv(?:\.|\[['"])([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]);
  return [...new Set([...CONFIG_VARIABLES, ...direct])].sort();
}

describe('configuration files', () => {
  const dirs: string[] = [];
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cartwise-dotenv-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('.env.example lists every variable src/server/config.ts reads', () => {
    const listed = new Set([...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect(variablesConfigReads().length).toBeGreaterThan(20);
    expect(variablesConfigReads().filter((name) => !listed.has(name))).toEqual([]);
  });

  it('deploy/compose.yaml passes every one through, but those the image fixes', () => {
    const compose = read('deploy/compose.yaml');
    // The image sets these for its own layout (deploy/Dockerfile's ENV).
    const fixedByImage = ['HOST', 'DATA_DIR'];
    const dockerfile = read('deploy/Dockerfile');
    for (const name of fixedByImage) expect(dockerfile).toMatch(new RegExp(`\\b${name}=`));
    const passed = new Set([...compose.matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]));
    expect(variablesConfigReads().filter((n) => !passed.has(n) && !fixedByImage.includes(n))).toEqual([]);
  });

  it('npm run cartwise reads .env from the working directory, and the environment wins over it', async () => {
    const dir = scratch();
    const fromFile = join(dir, 'from-dotenv.sqlite');
    writeFileSync(
      join(dir, '.env'),
      `# a comment\nDATABASE_URL=sqlite:${fromFile}\nCARTWISE_ADMIN_PASSWORD="dotenv-admin-pass"\nLOG_LEVEL=silent\n`,
    );
    const run = spawnNpmScript('cartwise', {
      cwd: dir,
      args: ['create-admin', '--username', 'dotenv_admin'],
    });
    expect(await run.exited, run.stderr()).toBe(0);
    expect(run.stdout()).toMatch(/Created admin "dotenv_admin"/);
    const db = createDb(`sqlite:${fromFile}`);
    try {
      const row = await db
        .selectFrom('users')
        .select(['role', 'password_hash'])
        .where('username', '=', 'dotenv_admin')
        .executeTakeFirstOrThrow();
      expect(row.role).toBe('admin');
      expect(await verifyPassword(row.password_hash, 'dotenv-admin-pass')).toBe(true);
    } finally {
      await db.destroy();
    }

    const fromEnvironment = join(dir, 'from-environment.sqlite');
    const overridden = spawnNpmScript('cartwise', {
      cwd: dir,
      env: { DATABASE_URL: `sqlite:${fromEnvironment}` },
      args: ['create-admin', '--username', 'env_admin'],
    });
    expect(await overridden.exited, overridden.stderr()).toBe(0);
    const other = createDb(`sqlite:${fromEnvironment}`);
    try {
      const names = await other.selectFrom('users').select('username').execute();
      expect(names.map((u) => u.username)).toEqual(['env_admin']);
    } finally {
      await other.destroy();
    }
  });

  it('npm start and npm run start:ml take their port and database from .env', async () => {
    const dir = scratch();
    const [port, mlPort] = [await freePort(), await freePort()];
    writeFileSync(
      join(dir, '.env'),
      [
        `PORT=${port}`,
        `ML_PORT=${mlPort}`,
        'HOST=127.0.0.1',
        `DATABASE_URL=sqlite:${join(dir, 'shop.sqlite')}`,
        'DEMO_DATA=false',
        'ML_WORKER=false',
        'LOG_LEVEL=warn',
      ].join('\n'),
    );
    const app = spawnNpmScript('start', { cwd: dir });
    try {
      await waitForOk(`http://127.0.0.1:${port}/health/ready`, app);
    } finally {
      expect(await stop(app)).toBe(0);
    }
    const ml = spawnNpmScript('start:ml', { cwd: dir });
    try {
      await waitForOk(`http://127.0.0.1:${mlPort}/health/ready`, ml);
    } finally {
      expect(await stop(ml)).toBe(0);
    }
  });
});
