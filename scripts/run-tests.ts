// `npm test`: Vitest, then the Playwright browser suite. With arguments (`npm test -- <path or
// filter>`) only the matching runner runs: paths under test/e2e go to Playwright, the rest to Vitest.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const isE2e = (arg: string) => /(^|\/)test\/e2e(\/|$)|\.spec\.ts$/.test(arg);

function run(bin: string, runnerArgs: string[]): number {
  const result = spawnSync(join(root, 'node_modules/.bin', bin), runnerArgs, { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

let status = 0;
if (args.length === 0) {
  status = run('vitest', ['run']);
  if (status === 0) status = run('playwright', ['test']);
} else if (args.some(isE2e)) {
  status = run('playwright', ['test', ...args]);
} else {
  status = run('vitest', ['run', ...args]);
}
process.exit(status);
