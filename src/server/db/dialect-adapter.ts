import {
  type Expression,
  type InsertQueryBuilder,
  type Kysely,
  MysqlAdapter,
  type RawBuilder,
  SqliteAdapter,
  sql,
} from 'kysely';

export type DialectName = 'sqlite' | 'mysql';

/**
 * Everything Cartwise does differently on MySQL and SQLite, as one object per dialect. The objects
 * extend Kysely's own `DialectAdapter`s (MysqlAdapter, SqliteAdapter), which Kysely hands every
 * executor of a database (transactions included): `createDb` picks the dialect once and nothing
 * else asks which database it runs on. Code that needs a difference calls `dialectAdapterOf(db)`
 * (usually through the helpers in dialect.ts) instead of branching on the dialect's name.
 */
export interface CartwiseDialectAdapter {
  readonly name: DialectName;
  /** Locks the rows a read in a transaction returns (`FOR UPDATE`), where locks are per row. */
  forUpdate<QB extends { forUpdate(): QB }>(query: QB): QB;
  /** Joins in the order the query names its tables, where the planner would otherwise reorder. */
  joinInWrittenOrder<QB extends { modifyFront(modifier: Expression<unknown>): QB }>(query: QB): QB;
  /** A text column compared byte by byte (SQLite's only way; MySQL needs a binary collation). */
  binaryCollated(column: string): RawBuilder<unknown>;
  /** An insert that does nothing when a row with the same unique key exists (other errors raise). */
  onConflictDoNothing<DB, TB extends keyof DB, O>(
    insert: InsertQueryBuilder<DB, TB, O>,
    keyColumns: readonly string[],
  ): InsertQueryBuilder<DB, TB, O>;
  /** An insert that applies `update` to the existing row when one with the same unique key exists. */
  onConflictUpdate<DB, TB extends keyof DB, O>(
    insert: InsertQueryBuilder<DB, TB, O>,
    keyColumns: readonly string[],
    update: UpsertUpdate<DB, TB, O>,
  ): InsertQueryBuilder<DB, TB, O>;
  /** A varchar column type compared exactly, case and accents included (binary collation on MySQL). */
  exactText(length: number): RawBuilder<unknown>;
  /** A column type for binary values of a few megabytes (MySQL's plain BLOB stops at 64 KiB). */
  fileBytes(): RawBuilder<unknown>;
  /** CREATE TABLE with the table options the dialect needs (charset and collation on MySQL). */
  withTableOptions<TB extends { modifyEnd(modifier: Expression<unknown>): TB }>(builder: TB): TB;
  /** DROP INDEX naming the index's table where the dialect wants it (MySQL); SQLite refuses it. */
  dropIndexOn<DB extends { on(table: string): DB }>(builder: DB, table: string): DB;
  /** Whether ALTER TABLE can change a column's nullability in place (SQLite must rebuild the table). */
  readonly altersColumnNullability: boolean;
  /**
   * Refreshes the query planner's statistics, for a database that only gathers them when asked;
   * null where the database maintains them itself.
   */
  // biome-ignore lint/suspicious/noExplicitAny: any schema will do
  readonly refreshPlannerStatistics: ((db: Kysely<any>) => Promise<void>) | null;
}

/** The assignments of an upsert, as `onDuplicateKeyUpdate` takes them (columns of the inserted table). */
export type UpsertUpdate<DB, TB extends keyof DB, O> = Parameters<
  InsertQueryBuilder<DB, TB, O>['onDuplicateKeyUpdate']
>[0];

/** MySQL / MariaDB with InnoDB. */
export class MysqlCartwiseAdapter extends MysqlAdapter implements CartwiseDialectAdapter {
  readonly name = 'mysql' as const;

  forUpdate<QB extends { forUpdate(): QB }>(query: QB): QB {
    return query.forUpdate();
  }

  // MySQL may start a join from a small table (categories) and sort every product; STRAIGHT_JOIN
  // keeps the first table first, so a sort index and LIMIT stop after one page.
  joinInWrittenOrder<QB extends { modifyFront(modifier: Expression<unknown>): QB }>(query: QB): QB {
    return query.modifyFront(sql`straight_join`);
  }

  binaryCollated(column: string): RawBuilder<unknown> {
    return sql`${sql.ref(column)} collate utf8mb4_bin`;
  }

  // A no-op self-assignment of the key: unlike INSERT IGNORE, other errors still raise.
  onConflictDoNothing<DB, TB extends keyof DB, O>(
    insert: InsertQueryBuilder<DB, TB, O>,
    keyColumns: readonly string[],
  ): InsertQueryBuilder<DB, TB, O> {
    const first = keyColumns[0];
    return insert.onDuplicateKeyUpdate({ [first]: sql.ref(first) } as never);
  }

  // Each assignment of ON DUPLICATE KEY UPDATE sees the ones before it: order them accordingly.
  onConflictUpdate<DB, TB extends keyof DB, O>(
    insert: InsertQueryBuilder<DB, TB, O>,
    _keyColumns: readonly string[],
    update: UpsertUpdate<DB, TB, O>,
  ): InsertQueryBuilder<DB, TB, O> {
    return insert.onDuplicateKeyUpdate(update);
  }

  exactText(length: number): RawBuilder<unknown> {
    return sql`varchar(${sql.raw(String(length))}) character set utf8mb4 collate utf8mb4_bin`;
  }

  // Up to 16 MiB, above the 5 MB upload limit and below MariaDB's default max_allowed_packet.
  fileBytes(): RawBuilder<unknown> {
    return sql`mediumblob`;
  }

  withTableOptions<TB extends { modifyEnd(modifier: Expression<unknown>): TB }>(builder: TB): TB {
    return builder.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
  }

  dropIndexOn<DB extends { on(table: string): DB }>(builder: DB, table: string): DB {
    return builder.on(table);
  }

  // InnoDB keeps its own statistics.
  readonly altersColumnNullability = true;
  readonly refreshPlannerStatistics = null;
}

/** SQLite through node:sqlite, every transaction BEGIN IMMEDIATE (node-sqlite-dialect.ts). */
export class SqliteCartwiseAdapter extends SqliteAdapter implements CartwiseDialectAdapter {
  readonly name = 'sqlite' as const;
  readonly altersColumnNullability = false;

  // BEGIN IMMEDIATE already holds the database's only write lock.
  forUpdate<QB extends { forUpdate(): QB }>(query: QB): QB {
    return query;
  }

  // With statistics (refreshPlannerStatistics) SQLite's planner picks the right order itself.
  joinInWrittenOrder<QB extends { modifyFront(modifier: Expression<unknown>): QB }>(query: QB): QB {
    return query;
  }

  binaryCollated(column: string): RawBuilder<unknown> {
    return sql`${sql.ref(column)}`;
  }

  onConflictDoNothing<DB, TB extends keyof DB, O>(
    insert: InsertQueryBuilder<DB, TB, O>,
    keyColumns: readonly string[],
  ): InsertQueryBuilder<DB, TB, O> {
    return insert.onConflict((oc) => oc.columns(keyColumns as never).doNothing());
  }

  onConflictUpdate<DB, TB extends keyof DB, O>(
    insert: InsertQueryBuilder<DB, TB, O>,
    keyColumns: readonly string[],
    update: UpsertUpdate<DB, TB, O>,
  ): InsertQueryBuilder<DB, TB, O> {
    return insert.onConflict((oc) => oc.columns(keyColumns as never).doUpdateSet(update as never));
  }

  // SQLite compares text byte by byte unless told otherwise.
  exactText(length: number): RawBuilder<unknown> {
    return sql`varchar(${sql.raw(String(length))})`;
  }

  // A BLOB holds up to a gigabyte by default.
  fileBytes(): RawBuilder<unknown> {
    return sql`blob`;
  }

  withTableOptions<TB extends { modifyEnd(modifier: Expression<unknown>): TB }>(builder: TB): TB {
    return builder;
  }

  dropIndexOn<DB extends { on(table: string): DB }>(builder: DB, _table: string): DB {
    return builder;
  }

  /**
   * SQLite plans joins from statistics it only gathers when asked; without them a search over
   * product names may be driven from categories instead of the name index (10× slower at 10,000
   * products). `PRAGMA optimize` analyses the tables whose size changed a lot, cheaply
   * (https://sqlite.org/pragma.html#pragma_optimize).
   */
  // biome-ignore lint/suspicious/noExplicitAny: any schema will do
  readonly refreshPlannerStatistics = async (db: Kysely<any>): Promise<void> => {
    await sql`pragma optimize = 0x10002`.execute(db);
  };
}

/** The adapter `createDb` chose for this database or transaction. */
// biome-ignore lint/suspicious/noExplicitAny: any schema will do
export function dialectAdapterOf(db: Kysely<any>): CartwiseDialectAdapter {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof MysqlCartwiseAdapter || adapter instanceof SqliteCartwiseAdapter) return adapter;
  throw new Error(
    'This Kysely instance was not made by createDb (db/database.ts): no Cartwise dialect adapter',
  );
}
