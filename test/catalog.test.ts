import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, createTestApp, createUser, type TestApp } from './support/app.ts';
import {
  getProduct,
  getProductsByIds,
  listCategories,
  listShopProducts,
  splitSearchTerms,
} from '../src/server/modules/catalog/service.ts';
import { ShopListing } from '../src/server/modules/catalog/shop-listing.ts';
import { describeEachDialect } from './support/databases.ts';

interface P {
  id: number;
  name: string;
  priceCents: number;
  stock: number;
  category: { slug: string };
  isFavorite?: boolean;
}

// Names chosen to exercise case-insensitive sorting, LIKE wildcards and the escape character.
const FIXTURE: { name: string; price: number; stock: number; cat: string }[] = [
  { name: 'apple Juice', price: 300, stock: 5, cat: 'drinks' },
  { name: 'Banana Bread', price: 450, stock: 0, cat: 'bakery' },
  { name: 'Cherry Pie', price: 1200, stock: 3, cat: 'bakery' },
  { name: 'banana split', price: 700, stock: 12, cat: 'desserts' },
  { name: '100% Cotton Towel', price: 1500, stock: 7, cat: 'home' },
  { name: 'snake_case Mug', price: 900, stock: 0, cat: 'home' },
  { name: 'Mug!', price: 900, stock: 20, cat: 'home' },
  { name: 'Zesty Lemonade', price: 300, stock: 9, cat: 'drinks' },
];

describeEachDialect('catalog', (dialect) => {
  let t: TestApp;
  const ids = new Map<string, number>();
  let viewer: Awaited<ReturnType<typeof createUser>>;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    for (const f of FIXTURE) {
      ids.set(
        f.name,
        await createProduct(t.db, { name: f.name, priceCents: f.price, stock: f.stock, categorySlug: f.cat }),
      );
    }
    viewer = await createUser(t.db);
  });
  afterAll(() => t.close());

  const list = async (query: string, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({ url: `/api/products?pageSize=100&${query}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: P[]; total: number; page: number; pageSize: number };
  };
  const names = async (query: string) => (await list(query)).items.map((p) => p.name);
  const expected = (pred: (f: (typeof FIXTURE)[number]) => boolean) =>
    FIXTURE.filter(pred)
      .map((f) => f.name)
      .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));

  it('lists every product sorted by name case-insensitively by default, out-of-stock included', async () => {
    const page = await list('');
    expect(page.total).toBe(FIXTURE.length);
    expect(page.items.map((p) => p.name)).toEqual(expected(() => true));
    const banana = page.items.find((p) => p.name === 'Banana Bread')!;
    expect(banana).toMatchObject({ stock: 0, priceCents: 450, category: { slug: 'bakery' }, imageUrl: null });
    expect(banana).not.toHaveProperty('isFavorite');
  });

  it('searches comma-separated terms, any term matching, case-insensitively', async () => {
    expect(await names('q=BANANA')).toEqual(['Banana Bread', 'banana split']);
    expect(await names('q=banana, cherry')).toEqual(['Banana Bread', 'banana split', 'Cherry Pie']);
    expect(await names('q=juice,,lemon')).toEqual(['apple Juice', 'Zesty Lemonade']);
    expect(await names('q=nothing-like-this')).toEqual([]);
    expect((await list('q=,')).total).toBe(FIXTURE.length);
  });

  it('treats % _ and ! in search terms literally', async () => {
    expect(await names('q=%25')).toEqual(['100% Cotton Towel']);
    expect(await names('q=_')).toEqual(['snake_case Mug']);
    expect(await names('q=e_c')).toEqual(['snake_case Mug']);
    expect(await names('q=!')).toEqual(['Mug!']);
    expect(await names('q=0%25 c')).toEqual(['100% Cotton Towel']);
  });

  it('filters by category slug; an unknown slug matches nothing', async () => {
    expect(await names('category=home')).toEqual(expected((f) => f.cat === 'home'));
    expect(await names('category=no-such-thing')).toEqual([]);
  });

  it.each([
    ['priceLt=450', (f: (typeof FIXTURE)[number]) => f.price < 450],
    ['priceGt=900', (f: (typeof FIXTURE)[number]) => f.price > 900],
    ['priceEq=900', (f: (typeof FIXTURE)[number]) => f.price === 900],
    ['priceGt=300&priceLt=1200', (f: (typeof FIXTURE)[number]) => f.price > 300 && f.price < 1200],
    ['stockLt=5', (f: (typeof FIXTURE)[number]) => f.stock < 5],
    ['stockGt=7', (f: (typeof FIXTURE)[number]) => f.stock > 7],
    ['stockEq=0', (f: (typeof FIXTURE)[number]) => f.stock === 0],
    ['inStock=true', (f: (typeof FIXTURE)[number]) => f.stock > 0],
    ['inStock=false', () => true],
    [
      'inStock=true&category=home&priceEq=900',
      (f: (typeof FIXTURE)[number]) => f.stock > 0 && f.cat === 'home' && f.price === 900,
    ],
    [
      'q=mug&stockEq=0',
      (f: (typeof FIXTURE)[number]) => f.name.toLowerCase().includes('mug') && f.stock === 0,
    ],
  ])('filters with %s', async (query, pred) => {
    const page = await list(query);
    expect(page.items.map((p) => p.name)).toEqual(expected(pred));
    expect(page.total).toBe(expected(pred).length);
  });

  it('sorts by every key with an id tiebreak', async () => {
    const all = (await list('')).items;
    const byId = (a: P, b: P) => a.id - b.id;
    const check = async (sort: string, cmp: (a: P, b: P) => number) => {
      const got = (await list(`sort=${sort}`)).items.map((p) => p.id);
      expect(got, sort).toEqual([...all].sort((a, b) => cmp(a, b) || byId(a, b)).map((p) => p.id));
    };
    const lower = (p: P) => p.name.toLowerCase();
    await check('name', (a, b) => (lower(a) < lower(b) ? -1 : lower(a) > lower(b) ? 1 : 0));
    await check('-name', (a, b) => (lower(a) > lower(b) ? -1 : lower(a) < lower(b) ? 1 : 0));
    await check('price', (a, b) => a.priceCents - b.priceCents);
    await check('-price', (a, b) => b.priceCents - a.priceCents);
    await check('stock', (a, b) => a.stock - b.stock);
    await check('-stock', (a, b) => b.stock - a.stock);
    // Fixture rows were created in order within the same few milliseconds: newest is highest id first.
    const newest = (await list('sort=newest')).items.map((p) => p.id);
    expect(newest).toEqual([...newest].sort((a, b) => b - a));
  });

  it('pages with stable totals and bounds', async () => {
    const first = await t.app.inject({ url: '/api/products?pageSize=3&page=1' });
    const third = await t.app.inject({ url: '/api/products?pageSize=3&page=3' });
    const beyond = await t.app.inject({ url: '/api/products?pageSize=3&page=99' });
    expect(first.json()).toMatchObject({ page: 1, pageSize: 3, total: FIXTURE.length });
    expect(first.json().items).toHaveLength(3);
    expect(third.json().items).toHaveLength(FIXTURE.length - 6);
    expect(beyond.json()).toMatchObject({ items: [], total: FIXTURE.length, page: 99 });
    const all = (await list('')).items.map((p) => p.id);
    const pages = [];
    for (let p = 1; p <= 3; p++) {
      pages.push(
        ...(await t.app.inject({ url: `/api/products?pageSize=3&page=${p}` }))
          .json()
          .items.map((x: P) => x.id),
      );
    }
    expect(pages).toEqual(all);
    const defaults = await t.app.inject({ url: '/api/products' });
    expect(defaults.json()).toMatchObject({ page: 1, pageSize: 24 });
    expect((await t.app.inject({ url: '/api/products?pageSize=100' })).statusCode).toBe(200);
  });

  it.each([
    ['page', '0'],
    ['page', '-1'],
    ['page', 'abc'],
    ['pageSize', '0'],
    ['pageSize', '101'],
    ['pageSize', '2.5'],
    ['priceLt', '-5'],
    ['priceGt', '1e3'],
    ['priceEq', ''],
    ['stockLt', 'ten'],
    ['stockGt', '0x10'],
    ['stockEq', '1.5'],
    ['sort', 'price desc'],
    ['inStock', 'yes'],
    ['category', 'Not A Slug'],
    ['q', 'x'.repeat(501)],
  ])('rejects %s=%s with 422 naming the field', async (field, value) => {
    const res = await t.app.inject({ url: `/api/products?${field}=${encodeURIComponent(value)}` });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('validation_failed');
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers any query string with 200 or 422, never a 5xx (fuzzed)', async () => {
    const keys = [
      'q',
      'category',
      'priceLt',
      'priceGt',
      'priceEq',
      'stockLt',
      'stockGt',
      'stockEq',
      'inStock',
      'sort',
      'page',
      'pageSize',
      'other',
    ];
    const value = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer({ min: -5, max: 3_000_000_000 }).map(String),
      fc.constantFrom('true', 'false', 'name', '-price', 'newest', '%', '_', '!', ',', '%_!,', '1e3', ' 7'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 5 }),
        async (pairs) => {
          const query = new URLSearchParams(pairs).toString();
          const res = await t.app.inject({ url: `/api/products?${query}` });
          expect([200, 422], `${query} → ${res.body}`).toContain(res.statusCode);
          if (res.statusCode === 200) {
            const page = res.json();
            expect(page.items.length).toBeLessThanOrEqual(page.pageSize);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('shows one product; malformed ids are 422, unknown and archived ones 404', async () => {
    const id = ids.get('Cherry Pie')!;
    const res = await t.app.inject({ url: `/api/products/${id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id,
      name: 'Cherry Pie',
      priceCents: 1200,
      stock: 3,
      category: { slug: 'bakery' },
    });
    for (const bad of ['abc', '0', '-1', '1.5', '99999999999']) {
      expect((await t.app.inject({ url: `/api/products/${bad}` })).statusCode, bad).toBe(422);
    }
    expect((await t.app.inject({ url: '/api/products/987654' })).statusCode).toBe(404);
    const archivedId = await createProduct(t.db, {
      name: 'Old Archived Thing',
    });
    await t.db.updateTable('products').set({ archived: 1 }).where('id', '=', archivedId).execute();
    expect((await t.app.inject({ url: `/api/products/${archivedId}` })).statusCode).toBe(404);
    expect(await names('q=archived')).toEqual([]);
    const categories = (await t.app.inject('/api/categories')).json();
    expect(categories.find((c: { slug: string }) => c.slug === 'general')?.productCount ?? 0).toBe(0);
  });

  it('lists categories with counts of live products', async () => {
    const res = await t.app.inject('/api/categories');
    expect(res.statusCode).toBe(200);
    const bySlug = Object.fromEntries(
      res.json().map((c: { slug: string; productCount: number }) => [c.slug, c.productCount]),
    );
    expect(bySlug).toMatchObject({ drinks: 2, bakery: 2, desserts: 1, home: 3 });
  });

  it('marks favorites for a signed-in viewer only', async () => {
    const fav = ids.get('Mug!')!;
    await t.db
      .insertInto('favorites')
      .values({ user_id: viewer.id, product_id: fav, created_at: Date.now() })
      .execute();
    const page = await list('q=mug', viewer.headers);
    expect(Object.fromEntries(page.items.map((p) => [p.name, p.isFavorite]))).toEqual({
      'Mug!': true,
      'snake_case Mug': false,
    });
    const detail = (await t.app.inject({ url: `/api/products/${fav}`, headers: viewer.headers })).json();
    expect(detail.isFavorite).toBe(true);
    const guest = (await t.app.inject({ url: `/api/products/${fav}` })).json();
    expect(guest).not.toHaveProperty('isFavorite');
  });

  it('serves other modules through its service functions', async () => {
    const cherry = ids.get('Cherry Pie')!;
    const mug = ids.get('Mug!')!;
    const some = await getProductsByIds(t.db, [mug, cherry, 987654, cherry]);
    expect(some.map((p) => p.id)).toEqual([cherry, mug].sort((a, b) => a - b));
    expect(some[0]).not.toHaveProperty('isFavorite');
    expect(await getProductsByIds(t.db, [])).toEqual([]);

    const ranged = await listShopProducts(new ShopListing(t.db, { maxAgeMs: 0 }), {
      priceMin: 300,
      priceMax: 450,
      sort: 'price',
      pageSize: 50,
    });
    expect(ranged.items.map((p) => p.priceCents)).toEqual(
      FIXTURE.filter((f) => f.price >= 300 && f.price <= 450)
        .map((f) => f.price)
        .sort((a, b) => a - b),
    );
    expect((await getProduct(t.db, cherry, viewer.id))?.isFavorite).toBe(false);
    expect(await getProduct(t.db, 987654)).toBeNull();
    expect((await listCategories(t.db, new ShopListing(t.db, { maxAgeMs: 0 }))).map((c) => c.slug)).toEqual(
      expect.arrayContaining(['bakery', 'desserts', 'drinks', 'home']),
    );
  });

  it('records view and search events for users and guests', async () => {
    const id = ids.get('Zesty Lemonade')!;
    await t.app.inject({ url: `/api/products/${id}`, headers: viewer.headers });
    const guestView = await t.app.inject({ url: `/api/products/${id}` });
    const guestCookie = guestView.cookies.find((c) => c.name === 'cartwise_guest')!.value;
    await t.app.inject({ url: '/api/products?q=Zesty, lemon', cookies: { cartwise_guest: guestCookie } });
    await t.app.inject({ url: '/api/products?category=home' }); // no terms: no search event
    await t.app.inject({ url: '/api/products?q=zesty&page=2' }); // paging on: not a new search

    const events = await t.db.selectFrom('events').selectAll().orderBy('id').execute();
    const views = events.filter((e) => e.type === 'view' && e.product_id === id);
    expect(views.map((e) => [e.user_id, e.guest_id])).toEqual([
      [viewer.id, null],
      [null, guestCookie],
    ]);
    const searches = events.filter((e) => e.type === 'search');
    expect(searches.filter((e) => e.payload === JSON.stringify({ terms: ['zesty'] }))).toHaveLength(0);
    expect(searches.at(-1)).toMatchObject({ guest_id: guestCookie, user_id: null });
    expect(JSON.parse(searches.at(-1)!.payload!)).toEqual({ terms: ['Zesty', 'lemon'] });
  });
});

describe('search terms', () => {
  it('splits, trims and drops blanks', () => {
    expect(splitSearchTerms(' a ,b,, ,a')).toEqual(['a', 'b']);
    expect(splitSearchTerms(undefined)).toEqual([]);
  });
});
