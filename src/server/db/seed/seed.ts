import { randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';
import { hashPassword } from '../../modules/accounts/passwords.ts';
import type { Db } from '../database.ts';
import { isUniqueViolation } from '../dialect.ts';
import { DEMO_ACCOUNTS, DEMO_CATEGORIES, DEMO_PRODUCTS } from './demo-catalog.ts';

export interface DemoLogin {
  username: string;
  password: string;
  role: 'customer' | 'admin';
}

export interface SeedResult {
  /** False when the database already had products (or DEMO_DATA is off): nothing was written. */
  seeded: boolean;
  /** Demo accounts this run created, with their passwords. */
  created: DemoLogin[];
}

/** Inserts a row unless a unique key says it already exists (another process may be seeding too). */
async function insertUnlessPresent(work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/**
 * Loads the demo catalog and demo accounts into a database that has no products yet. Every row is
 * keyed by a unique index (category slug, product name, username), so a second run — or a second
 * process starting at the same moment — inserts nothing twice.
 */
export async function seedDemoCatalog(
  db: Db,
  config: Pick<Config, 'DEMO_DATA' | 'NODE_ENV'>,
): Promise<SeedResult> {
  if (!config.DEMO_DATA) return { seeded: false, created: [] };
  const existing = await db.selectFrom('products').select('id').limit(1).executeTakeFirst();
  if (existing) return { seeded: false, created: [] };

  for (const category of DEMO_CATEGORIES) {
    await insertUnlessPresent(() =>
      db.insertInto('categories').values({ name: category.name, slug: category.slug }).execute(),
    );
  }
  const categories = await db.selectFrom('categories').select(['id', 'slug']).execute();
  const categoryId = new Map(categories.map((c) => [c.slug, c.id]));

  // Spread creation times over the past weeks so "newest" has a meaningful order.
  const now = Date.now();
  for (const [index, product] of DEMO_PRODUCTS.entries()) {
    const createdAt = now - (DEMO_PRODUCTS.length - index) * 86_400_000;
    await insertUnlessPresent(() =>
      db
        .insertInto('products')
        .values({
          name: product.name,
          description: product.description,
          category_id: categoryId.get(product.category)!,
          price_cents: product.priceCents,
          stock: product.stock,
          image_path: `/images/${product.slug}.svg`,
          created_at: createdAt,
          updated_at: createdAt,
        })
        .execute(),
    );
  }

  const created: DemoLogin[] = [];
  for (const account of DEMO_ACCOUNTS) {
    // Known demo passwords are for trying Cartwise out; a production install gets random ones.
    const password =
      config.NODE_ENV === 'production' ? randomBytes(12).toString('base64url') : account.password;
    const { password: _, ...profile } = account;
    const inserted = await insertUnlessPresent(async () =>
      db
        .insertInto('users')
        .values({
          username: profile.username,
          email: profile.email,
          password_hash: await hashPassword(password),
          first_name: profile.firstName,
          last_name: profile.lastName,
          phone: profile.phone,
          country: profile.country,
          city: profile.city,
          role: profile.role,
          created_at: now - 60 * 86_400_000,
        })
        .execute(),
    );
    if (inserted) created.push({ username: account.username, password, role: account.role });
  }
  return { seeded: true, created };
}

/**
 * The demo logins to print at start: in development the known ones (for accounts that still
 * exist); in production only those just created, since their random passwords are shown once.
 */
export async function demoLoginsToPrint(
  db: Db,
  config: Pick<Config, 'DEMO_DATA' | 'NODE_ENV'>,
  result: SeedResult,
): Promise<DemoLogin[]> {
  if (!config.DEMO_DATA) return [];
  if (config.NODE_ENV === 'production') return result.created;
  const names = DEMO_ACCOUNTS.map((a) => a.username);
  const present = await db.selectFrom('users').select('username').where('username', 'in', names).execute();
  const have = new Set(present.map((u) => u.username));
  return DEMO_ACCOUNTS.filter((a) => have.has(a.username)).map(({ username, password, role }) => ({
    username,
    password,
    role,
  }));
}

export function formatDemoLogins(logins: DemoLogin[]): string {
  if (logins.length === 0) return '';
  const rows = logins.map((l) => `    ${l.role.padEnd(8)} ${l.username.padEnd(10)} ${l.password}`);
  return `  Demo logins (role, username, password):\n${rows.join('\n')}\n`;
}
