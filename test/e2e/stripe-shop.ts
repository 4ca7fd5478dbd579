import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test as base } from '@playwright/test';
import { createDb } from '../../src/server/db/database.ts';
import { createProduct } from '../support/app.ts';
import {
  FAKE_SECRET_KEY,
  FAKE_WEBHOOK_SECRET,
  type FakeStripe,
  startFakeStripe,
} from '../support/fake-stripe.ts';

/**
 * A second shop for the card-payment tests, paid through the fake Stripe (test/support/fake-stripe.ts)
 * running in the test worker. With Stripe configured every checkout goes to the payment page, so
 * the suite's shared server keeps manual payment and this one is started only by the specs that
 * use it, once per worker (docs/decisions/135-card-payments-in-the-browser-suite.md).
 */

export const CARD_PRODUCT = {
  name: 'Pangolin Lantern',
  priceCents: 3150,
  stock: 50,
  categorySlug: 'e2e-card',
};

export interface StripeShop {
  url: string;
  stripe: FakeStripe;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function waitForReady(url: string, child: ChildProcess, stderr: () => string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`card-payment shop exited ${child.exitCode}:\n${stderr()}`);
    const ok = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`card-payment shop not ready at ${url}:\n${stderr()}`);
}

export const test = base.extend<object, { stripeShop: StripeShop }>({
  stripeShop: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies as a pattern
    async ({}, use) => {
      const stripe = await startFakeStripe(FAKE_WEBHOOK_SECRET);
      const dataDir = mkdtempSync(join(tmpdir(), 'cartwise-e2e-card-'));
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      // The web build is current: the suite's own web server built it before any test ran.
      const child = spawn('node_modules/.bin/node', ['src/server/main.ts'], {
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          NODE_ENV: 'test',
          DATA_DIR: dataDir,
          DATABASE_URL: `sqlite:${join(dataDir, 'card.sqlite')}`,
          DEMO_DATA: 'false',
          ML_WORKER: 'false',
          AUTH_RATE_LIMIT_PER_MINUTE: '10000',
          STRIPE_SECRET_KEY: FAKE_SECRET_KEY,
          STRIPE_WEBHOOK_SECRET: FAKE_WEBHOOK_SECRET,
          STRIPE_API_URL: stripe.url,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk) => {
        stderr += chunk;
      });
      try {
        await waitForReady(url, child, () => stderr);
        stripe.webhookUrl = `${url}/api/payments/stripe/webhook`;
        const db = createDb(`sqlite:${join(dataDir, 'card.sqlite')}`);
        try {
          await createProduct(db, CARD_PRODUCT);
        } finally {
          await db.destroy();
        }
        await use({ url, stripe });
      } finally {
        child.kill('SIGTERM');
        if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
        await stripe.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 90_000 },
  ],
  // Every relative URL (page.goto, page.request) of a card-payment test goes to this shop.
  baseURL: async ({ stripeShop }, use) => use(stripeShop.url),
});
