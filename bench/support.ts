import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConnection } from 'mysql2/promise';
import { createDb, type Db, type DialectName } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { hashPassword } from '../src/server/modules/accounts/passwords.ts';
import { issueSession } from '../src/server/modules/accounts/sessions.ts';

/** Helpers shared by the load benchmarks and the multi-process tests: databases, seeding, servers. */

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const NODE = join(ROOT, 'node_modules/.bin/node');
export const MYSQL_SERVER_URL = (
  process.env.CARTWISE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306'
).replace(/\/+$/, '');
export const BENCH_JWT_SECRET = `bench-${randomBytes(24).toString('hex')}`;

export interface ScratchDatabase {
  dialect: DialectName;
  url: string;
  db: Db;
  drop(): Promise<void>;
}

/** A fresh migrated database: a temp SQLite file, or a new MariaDB/MySQL schema dropped afterwards. */
export async function scratchDatabase(
  dialect: DialectName,
  label = 'bench',
  options: { poolSize?: number } = {},
): Promise<ScratchDatabase> {
  const name = `cartwise_${label}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (dialect === 'sqlite') {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'cartwise-'));
    const url = `sqlite:${join(dir, `${name}.sqlite`)}`;
    const db = createDb(url);
    await migrateToLatest(db);
    return {
      dialect,
      url,
      db,
      drop: async () => {
        await db.destroy().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const admin = await createConnection({ uri: MYSQL_SERVER_URL });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = `${MYSQL_SERVER_URL}/${name}`;
  const db = createDb(url, options);
  await migrateToLatest(db);
  return {
    dialect,
    url,
    db,
    drop: async () => {
      await db.destroy().catch(() => undefined);
      const c = await createConnection({ uri: MYSQL_SERVER_URL });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

const ADJECTIVES = [
  'red',
  'blue',
  'green',
  'black',
  'white',
  'wooden',
  'steel',
  'cotton',
  'leather',
  'ceramic',
];
const NOUNS = [
  'shirt',
  'lamp',
  'mug',
  'chair',
  'table',
  'jacket',
  'kettle',
  'backpack',
  'speaker',
  'notebook',
];
const CATEGORIES = ['home', 'kitchen', 'fashion', 'office', 'outdoor', 'audio', 'toys', 'books'];
export const SEARCH_WORDS = [...ADJECTIVES, ...NOUNS];
export const CATEGORY_SLUGS = CATEGORIES;

/** Inserts `count` products over a few categories (names searchable by colour and kind). */
export async function seedProducts(db: Db, count: number, stock: number): Promise<number[]> {
  const categoryIds: number[] = [];
  for (const slug of CATEGORIES) {
    const existing = await db
      .selectFrom('categories')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirst();
    if (existing) {
      categoryIds.push(existing.id);
      continue;
    }
    const r = await db
      .insertInto('categories')
      .values({ name: slug[0].toUpperCase() + slug.slice(1), slug })
      .executeTakeFirstOrThrow();
    categoryIds.push(Number(r.insertId));
  }
  const now = Date.now();
  const batch = 500;
  const tag = randomBytes(2).toString('hex');
  for (let start = 0; start < count; start += batch) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      rows.push({
        name: `${ADJECTIVES[i % 10]} ${NOUNS[Math.floor(i / 10) % 10]} ${tag}-${i}`,
        description: `Bench product ${i} (${tag})`,
        category_id: categoryIds[i % categoryIds.length],
        price_cents: 100 + ((i * 7919) % 50_000),
        stock,
        image_path: null,
        created_at: now - i * 1000,
        updated_at: now,
      });
    }
    await db.insertInto('products').values(rows).execute();
  }
  const ids = await db
    .selectFrom('products')
    .select('id')
    .where('description', 'like', `% (${tag})`)
    .orderBy('id')
    .execute();
  return ids.map((r) => r.id);
}

export interface SeededUser {
  id: number;
  token: string;
}

/** Customers inserted directly, each with a session signed by `secret`. */
export async function seedCustomers(
  db: Db,
  count: number,
  secret: string,
  label = 'bench',
): Promise<SeededUser[]> {
  const hash = await hashPassword('bench-password-123');
  const now = Date.now();
  const tag = randomBytes(3).toString('hex');
  for (let start = 0; start < count; start += 500) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 500); i++) {
      const username = `${label}${tag}_${i}`;
      rows.push({
        username,
        email: `${username}@example.com`,
        password_hash: hash,
        first_name: 'Bench',
        last_name: 'Buyer',
        phone: '+1 555 0100',
        country: 'US',
        city: 'Springfield',
        role: 'customer' as const,
        created_at: now,
      });
    }
    await db.insertInto('users').values(rows).execute();
  }
  const ids = await db
    .selectFrom('users')
    .select('id')
    .where('username', 'like', `${label}${tag}_%`)
    .orderBy('id')
    .execute();
  const users: SeededUser[] = [];
  for (const { id } of ids) users.push({ id, token: (await issueSession(db, secret, id, 1)).token });
  return users;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for the exit code (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
  kill(): Promise<void>;
}

/** Runs `src/server/main.ts` (or another entry) as its own process on 127.0.0.1 and waits until ready. */
export async function startServer(
  env: Record<string, string>,
  options: { entry?: string; readyPath?: string; timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const entry = options.entry ?? 'src/server/main.ts';
  const portVar = entry.includes('ml-main') ? 'ML_PORT' : 'PORT';
  const child = spawn(NODE, [...(options.nodeArgs ?? []), entry], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'false',
      ML_WORKER: 'false',
      JWT_SECRET: BENCH_JWT_SECRET,
      ...env,
      [portVar]: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d) => {
    log = (log + d).slice(-20_000);
  });
  child.stderr?.on('data', (d) => {
    log = (log + d).slice(-20_000);
  });
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log}`);
    try {
      const res = await fetch(`${url}${options.readyPath ?? '/health/ready'}`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    child,
    output: () => log,
    stop: async (graceMs = 15_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const [code] = await exited;
      clearTimeout(timer);
      return code as number | null;
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function inParallel<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T, i: number) => Promise<R>,
) {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i], i);
      }
    }),
  );
  return results;
}
