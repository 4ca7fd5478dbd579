import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, MysqlDialect, type Transaction } from 'kysely';
import { createPool } from 'mysql2';
import { type DialectName, dialectAdapterOf, MysqlCartwiseAdapter } from './dialect-adapter.ts';
import { createNodeSqliteDialect } from './node-sqlite-dialect.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
export type DbTransaction = Transaction<Database>;
/** What a query runs on: the database itself or a transaction of it. */
export type Executor = Db | DbTransaction;
export type { DialectName };

/** Kysely's MySQL dialect with Cartwise's adapter (dialect-adapter.ts) instead of Kysely's own. */
class CartwiseMysqlDialect extends MysqlDialect {
  override createAdapter() {
    return new MysqlCartwiseAdapter();
  }
}

/**
 * `sqlite:PATH`, `sqlite::memory:`, or `mysql://user:pass@host:port/db`. The dialect is chosen here,
 * once: its adapter (dialect-adapter.ts) carries every difference the rest of the code needs.
 */
export function createDb(url: string, options: { poolSize?: number } = {}): Db {
  if (url.startsWith('mysql://')) {
    const pool = createPool({
      uri: url,
      connectionLimit: options.poolSize ?? 20,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: false,
      decimalNumbers: true,
      connectTimeout: 5_000,
    });
    // Every transaction runs at READ COMMITTED: set once per connection rather than by one more
    // statement per transaction (docs/decisions/022-checkout-transaction.md,
    // docs/decisions/091-fewer-round-trips-per-cart-change.md).
    pool.on('connection', (connection) => {
      connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', () => undefined);
    });
    return new Kysely<Database>({ dialect: new CartwiseMysqlDialect({ pool }) });
  }
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    return new Kysely<Database>({ dialect: createNodeSqliteDialect(file) });
  }
  throw new Error(`Unsupported DATABASE_URL (expected sqlite:PATH or mysql://…): ${url}`);
}

// biome-ignore lint/suspicious/noExplicitAny: any schema will do
export function dialectOf(db: Kysely<any>): DialectName {
  return dialectAdapterOf(db).name;
}
