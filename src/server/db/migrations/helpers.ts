import type { Kysely } from 'kysely';
import { dialectAdapterOf } from '../dialect-adapter.ts';

/** CREATE TABLE with utf8mb4 and a case-insensitive collation on MySQL; plain on SQLite. */
export function createTableFor(db: Kysely<unknown>, name: string) {
  return dialectAdapterOf(db).withTableOptions(db.schema.createTable(name));
}

/** DROP INDEX of an index on `table` (MySQL wants the table named, SQLite refuses it). */
export function dropIndexFor(db: Kysely<unknown>, name: string, table: string) {
  return dialectAdapterOf(db).dropIndexOn(db.schema.dropIndex(name), table);
}
