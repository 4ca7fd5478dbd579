import { rmSync } from 'node:fs';

/** Drops the throwaway data folder (SQLite file, JWT secret) the e2e server ran on. */
export default function globalTeardown() {
  const dir = process.env.CARTWISE_E2E_DATA;
  if (dir?.includes('cartwise-e2e-')) rmSync(dir, { recursive: true, force: true });
}
