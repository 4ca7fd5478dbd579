import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { type Config, loadConfig } from '../../src/server/config.ts';
import type { Db, DialectName } from '../../src/server/db/database.ts';
import { hashPassword } from '../../src/server/modules/accounts/passwords.ts';
import { issueSession } from '../../src/server/modules/accounts/sessions.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    ML_WORKER: 'false',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    // Every injected guest is 127.0.0.1; test/guest-event-limit.test.ts sets its own cap.
    GUEST_EVENTS_RATE_LIMIT_PER_MINUTE: '100000',
    // Tests write to the database directly and read right after; test/shop-listing.test.ts covers lag.
    CATALOG_LISTING_MAX_AGE_MS: '0',
    EVENTS_FLUSH_MS: '0',
    ...overrides,
  });
}

export interface TestApp extends TestDatabase {
  app: FastifyInstance;
  config: Config;
  /** Closes the app and drops the database. */
  close(): Promise<void>;
}

/** A full app on a fresh database of the given dialect. */
export async function createTestApp(
  dialect: DialectName,
  env: Record<string, string> = {},
): Promise<TestApp> {
  const database = await createTestDatabase(dialect);
  const config = testConfig({ DATABASE_URL: database.url, ...env });
  const app = await buildApp({ config, db: database.db });
  await app.ready();
  // The catalog is read into memory just after `ready` (decision 125): tests start once it is.
  for (let waited = 0; (await app.inject('/health/ready')).statusCode !== 200; waited += 10) {
    if (waited > 10_000) throw new Error('the test app did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    ...database,
    app,
    config,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

let counter = 0;

/** Inserts a user directly (fast; no HTTP) and returns it with a valid bearer token. */
export async function createUser(
  db: Db,
  options: { role?: 'customer' | 'admin'; username?: string; password?: string } = {},
) {
  counter += 1;
  const username = options.username ?? `user${counter}_${Math.random().toString(36).slice(2, 8)}`;
  const password = options.password ?? 'correct-horse-battery';
  const result = await db
    .insertInto('users')
    .values({
      username,
      email: `${username}@example.com`,
      password_hash: await hashPassword(password),
      first_name: 'Test',
      last_name: 'User',
      phone: '+1 555 0100',
      country: 'US',
      city: 'Springfield',
      role: options.role ?? 'customer',
      created_at: Date.now(),
    })
    .executeTakeFirstOrThrow();
  const id = Number(result.insertId);
  const { token } = await issueSession(db, TEST_JWT_SECRET, id, 1);
  return { id, username, password, token, headers: { authorization: `Bearer ${token}` } };
}

/** Inserts a category and product directly; returns the product id. */
export async function createProduct(
  db: Db,
  values: { name?: string; priceCents?: number; stock?: number; categorySlug?: string } = {},
) {
  counter += 1;
  const slug = values.categorySlug ?? 'general';
  let category = await db.selectFrom('categories').select('id').where('slug', '=', slug).executeTakeFirst();
  if (!category) {
    const r = await db.insertInto('categories').values({ name: slug, slug }).executeTakeFirstOrThrow();
    category = { id: Number(r.insertId) };
  }
  const now = Date.now();
  const r = await db
    .insertInto('products')
    .values({
      name: values.name ?? `Product ${counter} ${Math.random().toString(36).slice(2, 8)}`,
      description: 'A test product',
      category_id: category.id,
      price_cents: values.priceCents ?? 1000,
      stock: values.stock ?? 10,
      image_path: null,
      created_at: now,
      updated_at: now,
    })
    .executeTakeFirstOrThrow();
  return Number(r.insertId);
}

export type { DialectName };
