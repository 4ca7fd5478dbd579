import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../database.ts';

/** CREATE TABLE with utf8mb4 and a case-insensitive collation on MySQL; plain on SQLite. */
export function createTableFor(db: Kysely<unknown>, name: string) {
  const builder = db.schema.createTable(name);
  return dialectOf(db) === 'mysql'
    ? builder.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`)
    : builder;
}

/** DROP INDEX: MySQL wants the table (`drop index x on t`), SQLite refuses it. */
export function dropIndexFor(db: Kysely<unknown>, name: string, table: string) {
  const builder = db.schema.dropIndex(name);
  return dialectOf(db) === 'mysql' ? builder.on(table) : builder;
}
