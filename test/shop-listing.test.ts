import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProductSort, pageSchema, productSchema } from '../src/contract/catalog.ts';
import {
  createProduct as createCatalogProduct,
  listAdminProducts,
  listShopProducts,
  removeProduct,
  updateProduct,
} from '../src/server/modules/catalog/service.ts';
import { deleteProductRow } from '../src/server/modules/catalog/queries.ts';
import { ShopListing } from '../src/server/modules/catalog/shop-listing.ts';
import { metrics } from '../src/server/http/metrics.ts';
import { createProduct, createTestApp, createUser, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

const SORTS: ProductSort[] = ['name', '-name', 'price', '-price', 'stock', '-stock', 'newest'];
const WORDS = ['oak', 'ash', 'red', 'blue', 'lamp', 'mug', 'desk', 'chair'];
const CATEGORIES = ['home', 'office', 'garden'];

/** The listing's catch-ups (or rows they read) of one kind so far, from its own metrics. */
async function counted(counter: 'shopListingRefreshes' | 'shopListingRowsRead', kind: string) {
  return (await metrics[counter].get()).values.find((v) => v.labels.kind === kind)?.value ?? 0;
}

describeEachDialect('shop listing held in memory', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  it('pages, filters and sorts exactly as the SQL listing does', async () => {
    // Many equal prices, stocks and creation times, so that every tie-break is exercised.
    const rng = fc.sample(fc.tuple(fc.nat(9), fc.nat(4), fc.nat(7), fc.nat(7), fc.nat(2)), {
      numRuns: 60,
      seed: 42,
    });
    const created = Date.now() - 10_000;
    for (const [i, [price, stock, a, b, cat]] of rng.entries()) {
      const id = await createProduct(t.db, {
        name: `${WORDS[a]} ${WORDS[b]} ${i}${i % 3 === 0 ? ' XL' : ''}`,
        priceCents: 100 * price,
        stock,
        categorySlug: CATEGORIES[cat],
      });
      await t.db
        .updateTable('products')
        .set({ created_at: created + (i % 7) * 1000, archived: i % 11 === 0 ? 1 : 0 })
        .where('id', '=', id)
        .execute();
    }
    const listing = new ShopListing(t.db, { maxAgeMs: 60_000 });
    // Each filter is left out most of the time, so that most pages have products to compare.
    const sometimes = <T>(arb: fc.Arbitrary<T>) =>
      fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          sort: fc.constantFrom(...SORTS),
          categorySlug: sometimes(fc.constantFrom(...CATEGORIES, 'no-such-category')),
          terms: sometimes(fc.uniqueArray(fc.constantFrom(...WORDS, 'xl', 'AK', '1'), { maxLength: 3 })),
          priceLt: sometimes(fc.nat(1_000)),
          priceGt: sometimes(fc.nat(1_000)),
          priceEq: sometimes(fc.constantFrom(0, 300, 500)),
          priceMin: sometimes(fc.nat(1_000)),
          priceMax: sometimes(fc.nat(1_000)),
          stockLt: sometimes(fc.nat(5)),
          stockGt: sometimes(fc.nat(5)),
          stockEq: sometimes(fc.nat(5)),
          inStock: fc.boolean(),
          page: fc.integer({ min: 1, max: 3 }),
          pageSize: fc.integer({ min: 1, max: 25 }),
        }),
        async (options) => {
          const fromMemory = await listShopProducts(listing, options);
          const fromSql = await listAdminProducts(t.db, { ...options, archived: undefined });
          if (fromSql.items.length > 1) nonEmpty++;
          expect(fromMemory.total).toBe(fromSql.total);
          expect(fromMemory.items.map((p) => p.id)).toEqual(fromSql.items.map((p) => p.id));
          expect(fromMemory.items).toEqual(
            fromSql.items.map(({ archived, createdAt, updatedAt, ...product }) => product),
          );
        },
      ),
      { numRuns: 300, seed: 7 },
    );
    expect(nonEmpty).toBeGreaterThan(100);
  });

  it('shows a change made elsewhere within its maximum age, deletions and archiving included', async () => {
    const listing = new ShopListing(t.db, { maxAgeMs: 1_500 });
    const slug = `lag-${dialect}`;
    const kept = await createProduct(t.db, {
      name: `Lagging kettle ${dialect}`,
      priceCents: 1000,
      categorySlug: slug,
    });
    const gone = await createProduct(t.db, { name: `Deleted kettle ${dialect}`, categorySlug: slug });
    const hidden = await createProduct(t.db, { name: `Archived kettle ${dialect}`, categorySlug: slug });
    const shown = async () =>
      (await listShopProducts(listing, { categorySlug: slug })).items.map((p) => [p.id, p.priceCents]);
    expect(await shown()).toEqual([
      [hidden, 1000],
      [gone, 1000],
      [kept, 1000],
    ]);

    // Another instance (or the CLI) writes: it sets updated_at, as every product write does, and
    // records a deletion. None of it takes a full read of the catalog to see.
    const fullReads = await counted('shopListingRefreshes', 'full');
    const now = Date.now();
    await t.db
      .updateTable('products')
      .set({ price_cents: 1250, updated_at: now })
      .where('id', '=', kept)
      .execute();
    await t.db
      .updateTable('products')
      .set({ archived: 1, updated_at: now })
      .where('id', '=', hidden)
      .execute();
    await deleteProductRow(t.db, gone);
    const added = await createProduct(t.db, {
      name: `Added kettle ${dialect}`,
      priceCents: 500,
      categorySlug: slug,
    });
    expect(await shown()).toHaveLength(3); // still the earlier picture: that is the allowed lag

    await sleep(1_550);
    expect(await shown()).toEqual([
      [added, 500],
      [kept, 1250],
    ]);
    expect(await counted('shopListingRefreshes', 'full')).toBe(fullReads);
  });

  it('catches up on stock changes without losing its place in the other sort orders', async () => {
    const listing = new ShopListing(t.db, { maxAgeMs: 100 });
    const slug = `stock-${dialect}`;
    const a = await createProduct(t.db, {
      name: `Stock a ${dialect}`,
      priceCents: 100,
      stock: 1,
      categorySlug: slug,
    });
    const b = await createProduct(t.db, {
      name: `Stock b ${dialect}`,
      priceCents: 200,
      stock: 5,
      categorySlug: slug,
    });
    const ids = async (sort: ProductSort, inStock = false) =>
      (await listShopProducts(listing, { categorySlug: slug, sort, inStock })).items.map((p) => p.id);
    expect(await ids('stock')).toEqual([a, b]);
    expect(await ids('price', true)).toEqual([a, b]);
    // Other orders take a price range's total from the price order's count (built here).
    const inStockTotal = async () =>
      (await listShopProducts(listing, { categorySlug: slug, sort: 'name', inStock: true, priceGt: 50 }))
        .total;
    expect(await inStockTotal()).toBe(2);

    await t.db
      .updateTable('products')
      .set({ stock: 0, updated_at: Date.now() })
      .where('id', '=', a)
      .execute();
    await t.db
      .updateTable('products')
      .set({ stock: 9, updated_at: Date.now() })
      .where('id', '=', b)
      .execute();
    await sleep(150);
    expect(await ids('price', true)).toEqual([b]);
    expect(await inStockTotal()).toBe(1);
    expect(await ids('price')).toEqual([a, b]);
    expect(await ids('stock')).toEqual([a, b]);
    expect(await ids('-stock')).toEqual([b, a]);
  });

  it('moves products within its sorted views as writes arrive, in step with the SQL listing', async () => {
    const listing = new ShopListing(t.db, { maxAgeMs: 60_000 });
    const slugs = [`moves-a-${dialect}`, `moves-b-${dialect}`, `moves-late-${dialect}`];
    const made: number[] = [];
    for (let i = 0; i < 12; i++) {
      made.push(
        await createProduct(t.db, {
          name: `Moves ${i} ${dialect}`,
          priceCents: 100 * (i % 5),
          stock: i % 4,
          categorySlug: slugs[i % 3],
        }),
      );
    }
    const categoryIds = await t.db
      .selectFrom('categories')
      .select(['id', 'slug'])
      .where('slug', 'in', slugs)
      .orderBy('slug')
      .execute();
    const compare = async (categories: string[]) => {
      for (const sort of SORTS) {
        for (const categorySlug of categories) {
          const fromMemory = await listShopProducts(listing, { sort, categorySlug, pageSize: 100 });
          const fromSql = await listAdminProducts(t.db, {
            sort,
            categorySlug,
            archived: undefined,
            pageSize: 100,
          });
          expect(fromMemory.items.map((p) => p.id)).toEqual(fromSql.items.map((p) => p.id));
        }
      }
      const counts = await listing.categoryCounts();
      for (const { id, slug } of categoryIds) {
        const live = await listAdminProducts(t.db, { categorySlug: slug, archived: undefined });
        expect(counts.get(id) ?? 0).toBe(live.total);
      }
    };
    // Views of two categories exist before the writes; the third is first built from moved views.
    await compare(slugs.slice(0, 2));
    const random = fc.sample(fc.tuple(fc.nat(5), fc.nat(1_000), fc.nat(2)), { numRuns: 40, seed: 7 });
    for (const [step, [kind, n, c]] of random.entries()) {
      const id = made[n % made.length];
      const write = (values: Record<string, unknown>) =>
        t.db
          .updateTable('products')
          .set({ ...values, updated_at: Date.now() })
          .where('id', '=', id)
          .execute();
      if (kind === 0)
        made.push(
          await createProduct(t.db, {
            name: `Moves new ${step} ${dialect}`,
            priceCents: n,
            categorySlug: slugs[c],
          }),
        );
      else if (kind === 1) await write({ price_cents: n });
      else if (kind === 2) await write({ name: `Moves renamed ${n} ${dialect}` });
      else if (kind === 3) await write({ archived: n % 2 });
      else if (kind === 4) await write({ category_id: categoryIds[c].id });
      else await write({ stock: n % 5 });
      listing.invalidate();
      await compare(slugs.slice(0, 2));
    }
    await compare(slugs);
  });

  it('reads the catalog in pages, and a full read that moves nothing updates the products in place', async () => {
    // No staleness allowed: every listing is a full read, here in pages of two products.
    const listing = new ShopListing(t.db, { maxAgeMs: 0, reloadPageSize: 2 });
    const slug = `paged-${dialect}`;
    const made: number[] = [];
    for (const [i, price] of [500, 100, 400, 200, 300].entries()) {
      made.push(
        await createProduct(t.db, {
          name: `Paged ${i} ${dialect}`,
          priceCents: price,
          stock: 1,
          categorySlug: slug,
        }),
      );
    }
    const ids = async (sort: ProductSort, inStock = false) =>
      (await listShopProducts(listing, { categorySlug: slug, sort, inStock })).items.map((p) => p.id);
    expect(await ids('price')).toEqual([made[1], made[3], made[4], made[2], made[0]]);
    // Written without a new updated_at: only a full read can see it.
    await t.db.updateTable('products').set({ stock: 0 }).where('id', '=', made[3]).execute();
    expect(await ids('price', true)).toEqual([made[1], made[4], made[2], made[0]]);
    expect((await ids('-stock'))[4]).toBe(made[3]);
    await t.db.updateTable('products').set({ price_cents: 50 }).where('id', '=', made[0]).execute();
    expect(await ids('price')).toEqual([made[0], made[1], made[3], made[4], made[2]]);
  });

  it('starts its next read ahead, past half its maximum age, instead of making a request wait', async () => {
    const listing = new ShopListing(t.db, { maxAgeMs: 2_000 });
    const slug = `ahead-${dialect}`;
    const id = await createProduct(t.db, { name: `Ahead ${dialect}`, priceCents: 100, categorySlug: slug });
    const price = async () => (await listShopProducts(listing, { categorySlug: slug })).items[0].priceCents;
    const reads = () => counted('shopListingRefreshes', 'changes');
    expect(await price()).toBe(100);
    await t.db
      .updateTable('products')
      .set({ price_cents: 200, updated_at: Date.now() })
      .where('id', '=', id)
      .execute();
    const before = await reads();
    await price();
    // Within half the maximum age nothing is read again.
    expect(await reads()).toBe(before);
    await sleep(1_100);
    await price();
    expect(await reads()).toBe(before + 1);
    // The read started ahead shows the write well before the maximum age would force one.
    let seen = await price();
    for (let i = 0; i < 30 && seen !== 200; i++) {
      await sleep(20);
      seen = await price();
    }
    expect(seen).toBe(200);
  });

  it('reads a bulk write once, not again on every later catch-up', async () => {
    const listing = new ShopListing(t.db, { maxAgeMs: 20, overlapMs: 40 });
    const slug = `bulk-${dialect}`;
    const rowsRead = () => counted('shopListingRowsRead', 'changes');
    const count = async () => (await listShopProducts(listing, { categorySlug: slug })).total;
    await count(); // the first, full read
    // One timestamp for the whole batch, as an import writes it.
    const stamp = Date.now();
    for (let i = 0; i < 30; i++) {
      const id = await createProduct(t.db, { name: `Bulk ${dialect} ${i}`, categorySlug: slug });
      await t.db.updateTable('products').set({ updated_at: stamp }).where('id', '=', id).execute();
    }
    await sleep(30);
    expect(await count()).toBe(30);
    // Past the overlap, and with nothing written since, a catch-up reads no rows.
    await sleep(60);
    await count();
    const before = await rowsRead();
    await sleep(30);
    expect(await count()).toBe(30);
    expect(await rowsRead()).toBe(before);
  });

  it('does not match a search term across two product names', async () => {
    const listing = new ShopListing(t.db, { maxAgeMs: 0 });
    const slug = `edge-${dialect}`;
    await createProduct(t.db, { name: `Edge one ${dialect} zq`, categorySlug: slug });
    await createProduct(t.db, { name: `Edge two ${dialect} qz`, categorySlug: slug });
    const count = async (terms: string[]) =>
      (await listShopProducts(listing, { categorySlug: slug, terms, sort: 'name' })).total;
    expect(await count([`${dialect} zq`])).toBe(1);
    expect(await count([`zq\nedge`])).toBe(0);
    expect(await count(['zq', 'qz'])).toBe(2);
  });

  it('sees writes made through the catalog services at once, whoever calls them', async () => {
    // A minute of allowed lag: only the services' own invalidation can make these visible.
    const listing = new ShopListing(t.db, { maxAgeMs: 60_000 });
    const ctx = { db: t.db, listing };
    const slug = `direct-${dialect}`;
    const seedId = await createProduct(t.db, { name: `Direct seed ${dialect}`, categorySlug: slug });
    const names = async () =>
      (await listShopProducts(listing, { categorySlug: slug, sort: 'name' })).items.map((p) => p.name);
    expect(await names()).toEqual([`Direct seed ${dialect}`]);
    const { categoryId } = (await t.db
      .selectFrom('products')
      .select('category_id as categoryId')
      .where('id', '=', seedId)
      .executeTakeFirstOrThrow()) as { categoryId: number };

    const made = await createCatalogProduct(ctx, {
      name: `Direct made ${dialect}`,
      description: 'Made without HTTP',
      categoryId,
      priceCents: 100,
      stock: 1,
    });
    expect(await names()).toEqual([`Direct made ${dialect}`, `Direct seed ${dialect}`]);
    await updateProduct(ctx, made.id, { name: `Direct renamed ${dialect}` });
    expect(await names()).toEqual([`Direct renamed ${dialect}`, `Direct seed ${dialect}`]);
    expect(await removeProduct(ctx, made.id)).toBe('deleted');
    expect(await names()).toEqual([`Direct seed ${dialect}`]);
  });
});

describeEachDialect('shop listing over HTTP', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    // A long maximum age: whatever the shop shows at once below, it shows because of invalidation.
    t = await createTestApp(dialect, { CATALOG_LISTING_MAX_AGE_MS: '60000' });
  });
  afterAll(() => t.close());

  /** A category and a product in it, made through the admin API (which invalidates the listing). */
  async function adminProduct(
    admin: { headers: Record<string, string> },
    category: { name: string; slug: string },
    product: { name: string; description: string; priceCents: number; stock: number },
  ) {
    const made = await t.db.insertInto('categories').values(category).executeTakeFirstOrThrow();
    const categoryId = Number(made.insertId);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/admin/products',
      headers: admin.headers,
      payload: { ...product, categoryId },
    });
    expect(created.statusCode).toBe(201);
    return { id: created.json().id as number, categoryId };
  }

  it("shows an admin's product writes at once and answers with the documented shape", async () => {
    const admin = await createUser(t.db, { role: 'admin' });
    const shopper = await createUser(t.db);
    const list = async (headers: Record<string, string> = {}) => {
      const res = await t.app.inject({ url: '/api/products?category=lamps', headers });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      return pageSchema(productSchema).strict().parse(res.json());
    };
    expect((await list()).total).toBe(0);

    const { id, categoryId } = await adminProduct(
      admin,
      { name: 'Lamps', slug: 'lamps' },
      { name: `Desk lamp ${dialect}`, description: 'Bright', priceCents: 2500, stock: 3 },
    );
    expect((await list()).items).toEqual([
      {
        id,
        name: `Desk lamp ${dialect}`,
        description: 'Bright',
        category: { id: categoryId, name: 'Lamps', slug: 'lamps' },
        priceCents: 2500,
        stock: 3,
        imageUrl: null,
      },
    ]);

    const edit = (url: string, method: 'PATCH' | 'POST', payload: object) =>
      t.app.inject({ method, url, headers: admin.headers, payload });
    expect((await edit(`/api/admin/products/${id}`, 'PATCH', { priceCents: 1999 })).statusCode).toBe(200);
    expect((await list()).items[0].priceCents).toBe(1999);
    expect((await edit(`/api/admin/products/${id}/stock`, 'POST', { delta: 4 })).statusCode).toBe(200);
    expect((await list()).items[0].stock).toBe(7);

    const favorite = await t.app.inject({
      method: 'PUT',
      url: `/api/favorites/${id}`,
      headers: shopper.headers,
    });
    expect(favorite.statusCode).toBe(204);
    expect((await list(shopper.headers)).items[0].isFavorite).toBe(true);
    expect((await list()).items[0]).not.toHaveProperty('isFavorite');

    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/admin/products/${id}`,
      headers: admin.headers,
    });
    expect(removed.statusCode).toBe(204);
    expect((await list()).total).toBe(0);
  });

  it('shows on the product page the stock a checkout or a cancellation leaves, reading only those rows', async () => {
    const admin = await createUser(t.db, { role: 'admin' });
    const shopper = await createUser(t.db);
    const { id } = await adminProduct(
      admin,
      { name: 'Kitchen', slug: 'kitchen' },
      { name: `Kettle ${dialect}`, description: 'Whistles', priceCents: 900, stock: 5 },
    );
    const page = async (headers: Record<string, string> = {}) => {
      const res = await t.app.inject({ url: `/api/products/${id}`, headers });
      expect(res.statusCode).toBe(200);
      return productSchema.strict().parse(res.json());
    };
    expect(await page()).toMatchObject({ id, stock: 5, priceCents: 900 });
    expect(await page()).not.toHaveProperty('isFavorite');
    expect((await page(shopper.headers)).isFavorite).toBe(false);
    const refreshes = (kind: string) => counted('shopListingRefreshes', kind);
    const before = { full: await refreshes('full'), changes: await refreshes('changes') };

    const post = (url: string, payload?: object) =>
      t.app.inject({ method: 'POST', url, headers: shopper.headers, payload });
    expect((await post('/api/cart/items', { productId: id, quantity: 2 })).statusCode).toBe(200);
    const checkout = await post('/api/cart/checkout', { shippingAddress: '1 Main Street, Springfield' });
    expect(checkout.statusCode).toBe(201);
    expect((await page()).stock).toBe(3);
    const listed = await t.app.inject({ url: `/api/products?q=${encodeURIComponent(`Kettle ${dialect}`)}` });
    expect(listed.json().items[0].stock).toBe(3);

    const cancelled = await post(`/api/orders/${checkout.json().id}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect((await page(shopper.headers)).stock).toBe(5);
    // Neither write made the listing read the catalog again: only the changed rows were read.
    expect({ full: await refreshes('full'), changes: await refreshes('changes') }).toEqual(before);

    expect((await t.app.inject({ url: `/api/products/${id + 1000}` })).json().code).toBe('not_found');
  });
});

describe('shop listing maximum age setting', () => {
  it('is bounded: at most a minute', async () => {
    const { loadConfig } = await import('../src/server/config.ts');
    expect(() =>
      loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), CATALOG_LISTING_MAX_AGE_MS: '60001' }),
    ).toThrow(/CATALOG_LISTING_MAX_AGE_MS/);
    expect(loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40) }).CATALOG_LISTING_MAX_AGE_MS).toBe(
      1_000,
    );
  });
});
