import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';

// Browser tests drive Debian's Chromium against the real server on a fresh SQLite database.
export const CHROMIUM = process.env.CARTWISE_CHROMIUM ?? '/usr/bin/chromium';
const browserFound = existsSync(CHROMIUM);
const browserRequired = process.env.CARTWISE_REQUIRE_BROWSER === '1';

if (!browserFound) {
  const line = '!'.repeat(78);
  if (browserRequired) {
    throw new Error(
      `Chromium not found at ${CHROMIUM} and CARTWISE_REQUIRE_BROWSER=1: install it (apt-get install -y chromium).`,
    );
  }
  console.warn(
    `\n${line}\n!! SKIPPING the browser (Playwright) tests: Chromium not found at ${CHROMIUM}.\n!! Install it with: apt-get update && apt-get install -y chromium\n${line}\n`,
  );
}

// Chosen once in the main process; workers re-read this file and inherit the environment.
process.env.CARTWISE_E2E_PORT ??= String(18_000 + Math.floor(Math.random() * 10_000));
if (browserFound) process.env.CARTWISE_E2E_DATA ??= mkdtempSync(join(tmpdir(), 'cartwise-e2e-'));
const port = Number(process.env.CARTWISE_E2E_PORT);
const dataDir = process.env.CARTWISE_E2E_DATA ?? '';
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '*.spec.ts',
  testIgnore: browserFound ? undefined : '**/*',
  // One folder per run: Playwright empties its output folder, and runs may overlap on a shared machine.
  outputDir: `test-results/e2e/run-${port}`,
  fullyParallel: false,
  workers: 2,
  // One retry in CI: a test that fails twice still fails; one that passes on retry is reported as flaky.
  retries: process.env.CI ? 1 : 0,
  // Two browsers, the server and its trainer share 2 cores: the longer flows take 15–30 s here.
  // Each step still fails after 7 s.
  timeout: 60_000,
  expect: { timeout: 7_000 },
  reporter: [['list']],
  globalSetup: './test/e2e/global-setup.ts',
  globalTeardown: './test/e2e/global-teardown.ts',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: browserFound
    ? {
        command:
          'node_modules/.bin/node scripts/ensure-web-build.ts && node_modules/.bin/node src/server/main.ts',
        url: `${baseURL}/health/ready`,
        reuseExistingServer: false,
        timeout: 120_000,
        stdout: 'ignore',
        stderr: 'pipe',
        env: {
          PORT: String(port),
          HOST: '127.0.0.1',
          NODE_ENV: 'test',
          DATA_DIR: dataDir,
          DATABASE_URL: `sqlite:${join(dataDir, 'e2e.sqlite')}`,
          DEMO_DATA: 'true',
          // The admin tests click Retrain: a worker must pick up the job.
          ML_WORKER: 'true',
          AUTH_RATE_LIMIT_PER_MINUTE: '10000',
          // Every guest of the suite shares 127.0.0.1, and a guest's daily assistant allowance counts
          // per address too (decision 140): the per-session limit is what the assistant tests check.
          ASSISTANT_DAILY_LIMIT_GUEST: '10000',
          ASSISTANT_RATE_LIMIT_PER_MINUTE: '10000',
          LOG_LEVEL: 'warn',
        },
      }
    : undefined,
});
