import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedProducts } from '../bench/support.ts';
import { dialectOf } from '../src/server/db/database.ts';
import { createNodeSqliteDialect } from '../src/server/db/node-sqlite-dialect.ts';
import { refreshPlannerStatistics } from '../src/server/db/planner.ts';
import { countProducts, selectProducts } from '../src/server/modules/catalog/queries.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';

describeEachDialect('catalog listing indexes and planner statistics', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    await seedProducts(database.db, 2_000, 100);
  });
  afterAll(() => database.drop());

  it('has the category listing indexes', async () => {
    const names =
      dialectOf(database.db) === 'mysql'
        ? await sql<{ name: string }>`select distinct index_name as name from information_schema.statistics
            where table_schema = database() and table_name = 'products'`.execute(database.db)
        : await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'index' and tbl_name = 'products'`.execute(
            database.db,
          );
    expect(names.rows.map((r) => r.name)).toEqual(
      expect.arrayContaining(['products_category_price', 'products_category_listing']),
    );
  });

  it('keeps the catalog queries on indexes once statistics are gathered', async () => {
    await refreshPlannerStatistics(database.db);
    if (dialect !== 'sqlite') return; // MySQL maintains its own statistics
    const file = database.url.slice('sqlite:'.length);
    const logged: { sql: string; parameters: readonly unknown[] }[] = [];
    const spy = new Kysely<never>({
      dialect: createNodeSqliteDialect(file),
      log: (e) => {
        if (e.level === 'query') logged.push(e.query);
      },
    });
    const category = { categorySlug: 'home', priceGt: 1_000, priceLt: 30_000, inStock: true };
    await selectProducts(spy as never, category, { sort: 'price', limit: 24, offset: 0 });
    await countProducts(spy as never, category);
    await selectProducts(spy as never, { terms: ['red', 'lamp'] }, { sort: 'name', limit: 24, offset: 0 });
    await spy.destroy();
    const { DatabaseSync } = await import('node:sqlite');
    const raw = new DatabaseSync(file);
    const explain = (i: number) =>
      (
        raw.prepare(`explain query plan ${logged[i].sql}`).all(...(logged[i].parameters as never[])) as {
          detail: string;
        }[]
      )
        .map((r) => r.detail)
        .join(' | ');
    const categoryPage = explain(0);
    const categoryCount = explain(1);
    const search = explain(2);
    raw.close();
    expect(categoryPage).toContain('products_category_price');
    expect(categoryPage).not.toContain('TEMP B-TREE');
    expect(categoryCount).toMatch(/products_category_(price|listing)/);
    // A name search walks the name index and stops after a page, rather than sorting every match.
    expect(search.split(' | ')[0]).toMatch(/SCAN products USING INDEX products_name_key/);
  });
});
