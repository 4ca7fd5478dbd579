import { DatabaseSync, type StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  type DatabaseConnection,
  SqliteDialect,
  type SqliteDatabase,
  SqliteDriver,
  type SqliteStatement,
} from 'kysely';
import { SqliteCartwiseAdapter } from './dialect-adapter.ts';

/**
 * Kysely speaks the better-sqlite3 interface; Node's built-in `node:sqlite` is close but not equal
 * (spread parameters, no `reader` flag, no booleans). This adapter bridges the two so the project
 * needs no native addon. Statements are cached because preparing dominates small queries.
 */
class NodeSqliteDatabase implements SqliteDatabase {
  readonly raw: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(raw: DatabaseSync) {
    this.raw = raw;
  }

  close(): void {
    this.#statements.clear();
    if (this.raw.isOpen) this.raw.close();
  }

  prepare(sqlText: string): SqliteStatement {
    let stmt = this.#statements.get(sqlText);
    if (!stmt) {
      stmt = this.raw.prepare(sqlText);
      if (this.#statements.size >= 500) this.#statements.clear();
      this.#statements.set(sqlText, stmt);
    }
    const prepared = stmt;
    return {
      reader: prepared.columns().length > 0,
      all: (params) => prepared.all(...toSqliteParams(params)) as unknown[],
      run: (params) => prepared.run(...toSqliteParams(params)),
      iterate: (params) => prepared.iterate(...toSqliteParams(params)) as IterableIterator<unknown>,
    };
  }
}

type SqliteValue = null | number | bigint | string | Uint8Array;

function toSqliteParams(params: ReadonlyArray<unknown>): SqliteValue[] {
  return params.map((p) => {
    if (p === undefined || p === null) return null;
    if (typeof p === 'boolean') return p ? 1 : 0;
    if (p instanceof Date) return p.getTime();
    return p as SqliteValue;
  });
}

// Every transaction takes the write lock up front (BEGIN IMMEDIATE) so two processes on one file
// fail fast with SQLITE_BUSY (retried) instead of deadlocking on a lock upgrade.
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class NodeSqliteDialect extends SqliteDialect {
  readonly #database: NodeSqliteDatabase;
  constructor(database: NodeSqliteDatabase) {
    super({ database });
    this.#database = database;
  }
  override createDriver() {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
  override createAdapter() {
    return new SqliteCartwiseAdapter();
  }
}

export function createNodeSqliteDialect(filename: string): SqliteDialect {
  const raw = new DatabaseSync(filename, { timeout: 10_000 });
  raw.exec('PRAGMA journal_mode = WAL');
  raw.exec('PRAGMA synchronous = NORMAL');
  raw.exec('PRAGMA foreign_keys = ON');
  return new NodeSqliteDialect(new NodeSqliteDatabase(raw));
}
