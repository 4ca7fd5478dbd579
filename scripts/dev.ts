// `npm run dev`: the API server, restarted by `node --watch` whenever a file it imports changes, and
// Vite's dev server with hot reload for the web app, which proxies the server's own paths to it
// (vite.config.ts). One command, one Ctrl-C: when either stops, the other is stopped too.
//
// PORT (8001) is the server's port and the proxy's target; DEV_WEB_PORT (5173) is Vite's, the one to
// open. The npm script reads .env (--env-file-if-exists) and both children inherit the result.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const webPort = process.env.DEV_WEB_PORT || '5173';
let stopping = false;

interface Started {
  child: ChildProcess;
  exited: Promise<unknown>;
}

function start(name: string, args: string[], stdin: 'inherit' | 'pipe' | 'ignore'): Started {
  const child = spawn(process.execPath, args, { cwd: root, stdio: [stdin, 'inherit', 'inherit'] });
  const exited = once(child, 'exit');
  child.on('error', (error) => {
    console.error(`[dev] could not start the ${name}: ${error.message}`);
    void stopAll(1);
  });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[dev] the ${name} stopped (${signal ?? `exit code ${code}`}); stopping the other one`);
    void stopAll(code === 0 ? 1 : (code ?? 1));
  });
  return { child, exited };
}

const server = start('API server', ['--watch', 'src/server/main.ts'], 'ignore');
// Vite quits when its standard input ends (unless CI=true), and offers keyboard shortcuts on a
// terminal: it gets the terminal when there is one, else a pipe that stays open.
const web = start(
  'Vite dev server',
  [join(root, 'node_modules/vite/bin/vite.js'), '--port', webPort, '--strictPort', '--clearScreen', 'false'],
  process.stdin.isTTY ? 'inherit' : 'pipe',
);

async function stopAll(exitCode: number) {
  if (stopping) return;
  stopping = true;
  const all = [server, web];
  for (const { child } of all)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  // The server drains requests for at most 25 s (main.ts); do not wait longer than that.
  const deadline = setTimeout(() => {
    for (const { child } of all) child.kill('SIGKILL');
  }, 30_000);
  await Promise.all(all.map((s) => s.exited));
  clearTimeout(deadline);
  process.exit(exitCode);
}

// Ctrl-C reaches the whole process group; SIGTERM (e.g. from a supervisor) only this process.
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
