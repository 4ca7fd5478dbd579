import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { freePort, ROOT } from '../bench/support.ts';
import { spawnNpmScript, stop, waitForOk } from './support/npm-scripts.ts';

const dir = mkdtempSync(join(tmpdir(), 'cartwise-dev-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refused(url: string): Promise<boolean> {
  try {
    await (await fetch(url)).arrayBuffer();
    return false;
  } catch {
    return true;
  }
}

it('npm run dev: Vite with hot reload proxies to the API server, which restarts on change; Ctrl-C stops both', async () => {
  const [port, webPort] = [await freePort(), await freePort()];
  const api = `http://127.0.0.1:${port}`;
  const web = `http://127.0.0.1:${webPort}`;
  const dev = spawnNpmScript('dev', {
    cwd: dir,
    env: {
      PORT: String(port),
      DEV_WEB_PORT: String(webPort),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'dev.sqlite')}`,
      DATA_DIR: dir,
      DEMO_DATA: 'false',
      ML_WORKER: 'false',
      LOG_LEVEL: 'warn',
    },
  });
  try {
    // The server's own paths answer through Vite's port.
    expect((await (await waitForOk(`${web}/health/ready`, dev, 180_000)).json()).status).toBe('ok');
    expect((await (await fetch(`${web}/api/products`)).json()).total).toBe(0);
    expect(Object.keys((await (await fetch(`${web}/openapi.json`)).json()).paths)).toContain('/api/products');
    expect(await (await fetch(`${web}/docs/`)).text()).toContain('swagger');
    // The page itself comes from Vite, with its hot-reload client.
    const page = await (await fetch(`${web}/`)).text();
    expect(page).toContain('/@vite/client');
    expect(await (await fetch(`${web}/@vite/client`)).text()).toContain('hot');

    // A changed server file restarts the server (node --watch), which comes back on its port.
    await (await waitForOk(`${api}/health/ready`, dev)).arrayBuffer();
    const before = dev.stdout().length + dev.stderr().length;
    const entry = join(ROOT, 'src/server/main.ts');
    const now = new Date();
    utimesSync(entry, now, now);
    const deadline = Date.now() + 60_000;
    while (!`${dev.stdout()}${dev.stderr()}`.slice(before).includes('Restarting') && Date.now() < deadline) {
      await sleep(100);
    }
    expect(`${dev.stdout()}${dev.stderr()}`.slice(before)).toContain('Restarting');
    await (await waitForOk(`${web}/health/ready`, dev, 60_000)).arrayBuffer();
  } finally {
    expect(await stop(dev, 'SIGINT', 40_000)).toBe(0);
  }
  expect(await refused(`${api}/health/live`)).toBe(true);
  expect(await refused(`${web}/`)).toBe(true);
  // Vite's first start optimises the web app's dependencies: slow on a loaded machine.
}, 240_000);
