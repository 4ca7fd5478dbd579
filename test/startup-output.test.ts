import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../bench/support.ts';
import { ConfigError, loadConfig } from '../src/server/config.ts';
import { DEMO_ACCOUNTS } from '../src/server/db/seed/demo-catalog.ts';
import { loggerOptions } from '../src/server/logging.ts';
import { spawnNpmScript, stop, waitForOk } from './support/npm-scripts.ts';

// What `npm start` writes where: stdout only log events (every line JSON by default), the demo
// logins on stderr for the person at the console, never in the logs.

describe('start-up output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cartwise-startup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function start(env: Record<string, string>) {
    const port = await freePort();
    const proc = spawnNpmScript('start', {
      cwd: dir,
      env: { PORT: String(port), HOST: '127.0.0.1', ML_WORKER: 'false', DATA_DIR: dir, ...env },
    });
    try {
      await waitForOk(`http://127.0.0.1:${port}/health/live`, proc, 120_000);
    } finally {
      expect(await stop(proc)).toBe(0);
    }
    return { port, stdout: proc.stdout(), stderr: proc.stderr() };
  }

  it('logs JSON lines only on stdout, banner included; the demo logins go to stderr', async () => {
    const { port, stdout, stderr } = await start({
      NODE_ENV: 'development',
      DEMO_DATA: 'true',
      DATABASE_URL: `sqlite:${join(dir, 'demo.sqlite')}`,
    });
    const lines = stdout.split('\n').filter((l) => l.trim() !== '');
    const events = lines.map((line) => {
      try {
        return JSON.parse(line) as { msg?: string; level?: number; url?: string };
      } catch {
        throw new Error(`stdout line is not JSON: ${line}`);
      }
    });
    const messages = events.map((e) => e.msg ?? '');
    const banner = events.find((e) => e.msg?.startsWith('Cartwise is running on'));
    expect(banner?.url).toBe(`http://localhost:${port}`);
    expect(banner?.msg).toContain('/docs');
    expect(messages).toContain('Loaded the demo catalog and demo accounts into the empty database.');
    expect(messages.some((m) => m.startsWith('Simulated a declared-synthetic history'))).toBe(true);
    expect(messages).toContain('demo logins printed on stderr');
    expect(stderr).toContain('Demo logins (role, username, password):');
    for (const account of DEMO_ACCOUNTS) {
      expect(stderr).toMatch(new RegExp(`${account.username}\\s+${account.password}`));
      expect(stdout).not.toContain(account.password);
    }
  });

  it('LOG_FORMAT=pretty renders the same events for a terminal through pino-pretty', async () => {
    const { port, stdout } = await start({
      DEMO_DATA: 'false',
      LOG_FORMAT: 'pretty',
      DATABASE_URL: `sqlite:${join(dir, 'empty.sqlite')}`,
    });
    expect(stdout).toMatch(
      new RegExp(`INFO.*: Cartwise is running on http://localhost:${port} \\(API docs:`),
    );
    expect(stdout.split('\n').some((l) => l.startsWith('{'))).toBe(false);
  });

  it('refuses an unknown LOG_FORMAT, and LOG_FORMAT=pretty clearly where pino-pretty is not installed', () => {
    expect(() => loadConfig({ LOG_FORMAT: 'fancy', JWT_SECRET: 'x'.repeat(32) })).toThrow(/LOG_FORMAT/);
    const missing = (id: string): string => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    };
    const settings = { LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' } as const;
    expect(() => loggerOptions(settings, missing)).toThrow(ConfigError);
    expect(() => loggerOptions(settings, missing)).toThrow(
      /LOG_FORMAT=pretty needs pino-pretty.*LOG_FORMAT=json/,
    );
    expect(loggerOptions({ ...settings, LOG_FORMAT: 'json' }, missing)).toEqual({ level: 'info' });
  });
});
