import type { Kysely } from 'kysely';
import { dialectAdapterOf } from '../dialect-adapter.ts';

/** CREATE TABLE with utf8mb4 and a case-insensitive collation on MySQL; plain on SQLite. */
export function createTableFor(db: Kysely<unknown>, name: string) {
  return dialectAdapterOf(db).withTableOptions(db.schema.createTable(name));
}

/** DROP INDEX: MySQL wants the table (`drop index x on t`), SQLite refuses it. */
export function dropIndexFor(db: Kysely<unknown>, name: string, table: string) {
  const builder = db.schema.dropIndex(name);
  return dialectOf(db) === 'mysql' ? builder.on(table) : builder;
}
