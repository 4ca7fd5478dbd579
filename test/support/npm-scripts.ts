import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from '../../bench/support.ts';

/**
 * The command of an npm script of package.json as `[executable, ...args]`, runnable from any
 * working directory: `node` is this Node, paths of files in the repository become absolute. Tests
 * run the real script line this way, so they see its flags (`--env-file-if-exists=.env`, `--watch`).
 */
export function npmScriptCommand(name: string): [string, ...string[]] {
  const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  const line = scripts[name];
  if (!line) throw new Error(`package.json has no "${name}" script`);
  const [program, ...args] = line.split(/\s+/);
  if (program !== 'node') throw new Error(`"${name}" does not start with node: ${line}`);
  return [process.execPath, ...args.map((a) => (/^(src|scripts)\/.+\.ts$/.test(a) ? join(ROOT, a) : a))];
}

export interface ScriptProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
}

/** Runs an npm script's command in `cwd` (where a .env may lie) with only `env` (plus PATH, HOME). */
export function spawnNpmScript(
  name: string,
  options: { cwd: string; env?: Record<string, string>; args?: string[]; stdin?: string },
): ScriptProcess {
  const [program, ...args] = npmScriptCommand(name);
  const child = spawn(program, [...args, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Polls `url` until it answers 2xx; fails with the process's output when it exits or times out. */
export async function waitForOk(url: string, proc: ScriptProcess, timeoutMs = 30_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | string | undefined;
  void proc.exited.then((code) => {
    exitCode = code;
  });
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(`exited with ${exitCode} before ${url} answered:\n${proc.stdout()}\n${proc.stderr()}`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) return res;
      await res.arrayBuffer();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`${url} did not answer in ${timeoutMs} ms:\n${proc.stdout()}\n${proc.stderr()}`);
    }
    await sleep(100);
  }
}

/** SIGTERM (SIGKILL after `graceMs`) and wait for the exit. */
export async function stop(proc: ScriptProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000) {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill(signal);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  const code = await proc.exited;
  clearTimeout(timer);
  return code;
}
