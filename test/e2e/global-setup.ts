import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { createDb } from '../../src/server/db/database.ts';
import { createProduct } from '../support/app.ts';
import { FIXTURES } from './fixtures.ts';

/**
 * Adds a few products with known names, prices and stock to the e2e server's fresh database, so
 * the tests can assert exact filter results next to the demo catalog.
 */
export default async function globalSetup() {
  const dataDir = process.env.CARTWISE_E2E_DATA;
  const port = process.env.CARTWISE_E2E_PORT;
  if (!dataDir || !port) return;
  await waitForReady(`http://127.0.0.1:${port}/health/ready`);
  const db = createDb(`sqlite:${join(dataDir, 'e2e.sqlite')}`);
  try {
    for (const f of FIXTURES) await createProduct(db, f);
  } finally {
    await db.destroy();
  }
}

async function waitForReady(url: string) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`e2e server not ready at ${url}`);
}
