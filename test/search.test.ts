import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pageSchema, productSchema, searchPageSchema } from '../src/contract/catalog.ts';
import {
  createProduct as createCatalogProduct,
  listAdminProducts,
  searchCatalog,
  updateProduct,
} from '../src/server/modules/catalog/service.ts';
import { ShopListing } from '../src/server/modules/catalog/shop-listing.ts';
import { createProduct, createTestApp, createUser, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

const WORDS = ['oak', 'oaken', 'soak', 'lamp', 'lampshade', 'red', 'bored', 'mug', 'a_b', '50%'];

/** The contract's tiers written out plainly: exact, prefix, word prefix, other substring. */
function referenceTier(name: string, terms: string[]): number {
  const n = name.toLowerCase();
  let best = 99;
  for (const raw of terms) {
    const t = raw.toLowerCase();
    if (!n.includes(t)) continue;
    let tier = 3;
    if (n === t) tier = 0;
    else if (n.startsWith(t)) tier = 1;
    else if ([...n.matchAll(/[^\p{L}\p{N}]/gu)].some((m) => n.startsWith(t, (m.index ?? 0) + 1))) tier = 2;
    best = Math.min(best, tier);
  }
  return best;
}

describeEachDialect('catalog search', (dialect) => {
  let t: TestApp;
  const names: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const rng = fc.sample(fc.array(fc.nat(WORDS.length - 1), { minLength: 1, maxLength: 3 }), {
      numRuns: 70,
      seed: 3,
    });
    const seen = new Set<string>();
    for (const [i, picks] of rng.entries()) {
      let name = picks.map((p) => WORDS[p]).join(i % 4 === 0 ? '-' : ' ');
      if (i % 5 === 0) name = name.toUpperCase();
      if (seen.has(name.toLowerCase())) name = `${name} ${i}`;
      seen.add(name.toLowerCase());
      names.push(name);
      await createProduct(t.db, { name, priceCents: 100 + (i % 7) * 100, stock: i % 3 });
    }
  });
  afterAll(() => t.close());

  it('orders q without sort by relevance, over exactly the products the SQL definition matches', async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom(...WORDS, 'OA', 'amp', 'd m', 'e'), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (terms, inStock) => {
          const q = encodeURIComponent(terms.join(','));
          const res = await t.app.inject({
            url: `/api/products?q=${q}&pageSize=100${inStock ? '&inStock=true' : ''}`,
          });
          expect(res.statusCode).toBe(200);
          const body = pageSchema(productSchema).parse(res.json());
          const sql = await listAdminProducts(t.db, {
            terms,
            inStock,
            archived: undefined,
            pageSize: 100,
          });
          expect(body.total).toBe(sql.total);
          expect(new Set(body.items.map((p) => p.id))).toEqual(new Set(sql.items.map((p) => p.id)));
          // sql.items are in name order (ties by id): a stable sort by tier gives the contract's order.
          const expected = [...sql.items]
            .map((p, i) => ({ id: p.id, tier: referenceTier(p.name, terms), i }))
            .sort((a, b) => a.tier - b.tier || a.i - b.i)
            .map((p) => p.id);
          expect(body.items.map((p) => p.id)).toEqual(expected);
          // Pages of 7 put together give the same order.
          const paged: number[] = [];
          for (let page = 1; paged.length < body.total; page++) {
            const r = await t.app.inject({
              url: `/api/products?q=${q}&pageSize=7&page=${page}${inStock ? '&inStock=true' : ''}`,
            });
            paged.push(...r.json().items.map((p: { id: number }) => p.id));
          }
          expect(paged).toEqual(expected);
          if (expected.length > 2) compared++;
        },
      ),
      { numRuns: 40, seed: 11 },
    );
    expect(compared).toBeGreaterThan(10);
    // An explicit sort still wins over relevance.
    const sorted = (await t.app.inject({ url: '/api/products?q=oak&sort=-price&pageSize=100' })).json();
    const prices = sorted.items.map((p: { priceCents: number }) => p.priceCents);
    expect(prices).toEqual([...prices].sort((a: number, b: number) => b - a));
  });

  it('searches free text over name, description and category, ranked and typo-tolerant', async () => {
    const ids = {
      kettle: await createProduct(t.db, { name: `Copper Kettle ${dialect}`, categorySlug: 'kitchenware' }),
      described: await createProduct(t.db, { name: `Stovetop Pot ${dialect}`, categorySlug: 'kitchenware' }),
      telescope: await createProduct(t.db, {
        name: `Refracting Telescope ${dialect}`,
        categorySlug: 'optics',
      }),
    };
    await t.db
      .updateTable('products')
      .set({ description: 'Boils water faster than a kettle', updated_at: Date.now() })
      .where('id', '=', ids.described)
      .execute();
    const search = async (q: string, extra = '') => {
      const res = await t.app.inject({ url: `/api/search?q=${encodeURIComponent(q)}${extra}` });
      expect(res.statusCode, q).toBe(200);
      return searchPageSchema.parse(res.json());
    };

    const exact = await search('kettle');
    expect(exact.items.map((p) => p.id).slice(0, 2)).toEqual([ids.kettle, ids.described]);
    expect(exact.didYouMean).toBeUndefined();
    // One edit at 5+ letters (a swap counts as one), two at 9+; four letters must be exact.
    const typo = await search('KETLTE');
    expect(typo.items[0].id).toBe(ids.kettle);
    expect(typo.didYouMean).toBe('kettle');
    const twoEdits = await search('telesopce');
    expect(twoEdits.items[0].id).toBe(ids.telescope);
    expect(twoEdits.didYouMean).toBe('telescope');
    expect((await search('lanp')).total).toBe(0);
    // Category names are searched; accents and case are folded.
    expect((await search('Optics')).items.map((p) => p.id)).toEqual([ids.telescope]);
    expect((await search('cöpper kettle')).items[0].id).toBe(ids.kettle);
    // Paging: pages add up to the total, without repeats.
    const all = await search('kettle oak lamp', '&pageSize=50');
    const pages = [
      ...(await search('kettle oak lamp', '&pageSize=5&page=1')).items,
      ...(await search('kettle oak lamp', '&pageSize=5&page=2')).items,
    ];
    expect(pages.map((p) => p.id)).toEqual(all.items.slice(0, 10).map((p) => p.id));
  });

  it('answers any input with results or a 4xx, within the documented caps', async () => {
    const inputs = [
      '🙂🙂🙂 lamp',
      'مصباح أحمر',
      'lamp\u0000\u0007\u001b[31m',
      Array.from({ length: 1000 }, (_, i) => `w${i}`)
        .join(',')
        .slice(0, 200),
      '%_\\\'"; drop table products; --',
      ' ',
    ];
    for (const q of inputs) {
      const res = await t.app.inject({ url: `/api/search?q=${encodeURIComponent(q)}` });
      expect(res.statusCode, q).toBe(200);
      searchPageSchema.parse(res.json());
    }
    const thousandTerms = Array.from({ length: 1000 }, (_, i) => `t${i}`).join(',');
    expect((await t.app.inject({ url: `/api/products?q=${thousandTerms.slice(0, 500)}` })).statusCode).toBe(
      200,
    );
    for (const bad of [
      `q=${'a'.repeat(201)}`,
      'q=lamp&pageSize=51',
      'q=lamp&page=42&pageSize=24',
      'q=lamp&page=0',
      '',
    ]) {
      const res = await t.app.inject({ url: `/api/search?${bad}` });
      expect(res.statusCode, bad).toBe(422);
      expect(res.json().code).toBe('validation_failed');
    }
  });

  it('keeps the index as current as the listing: writes through the services show at once', async () => {
    const listing = new ShopListing(t.db, { maxAgeMs: 60_000 });
    const ctx = { db: t.db, listing };
    const admin = await createUser(t.db, { role: 'admin' });
    const [{ id: categoryId }] = await t.db.selectFrom('categories').select('id').limit(1).execute();
    expect((await searchCatalog(listing, 'zeppelin')).total).toBe(0);
    const made = await createCatalogProduct(ctx, {
      name: `Zeppelin Model ${dialect}`,
      description: 'A scale airship',
      categoryId,
      priceCents: 4200,
      stock: 2,
    });
    expect((await searchCatalog(listing, 'zeppelin')).items.map((p) => p.id)).toEqual([made.id]);
    await updateProduct(ctx, made.id, { name: `Blimp Model ${dialect}` });
    expect((await searchCatalog(listing, 'zeppelin')).total).toBe(0);
    expect((await searchCatalog(listing, 'blimp')).items.map((p) => p.id)).toEqual([made.id]);
    await updateProduct(ctx, made.id, { archived: true });
    expect((await searchCatalog(listing, 'blimp')).total).toBe(0);
    // And through HTTP on the app's own listing.
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/products/${made.id}`,
      headers: admin.headers,
      payload: { archived: false, name: `Airship Model ${dialect}` },
    });
    expect(res.statusCode).toBe(200);
    const found = (await t.app.inject({ url: '/api/search?q=airship%20model' })).json();
    expect(found.items[0].id).toBe(made.id);
  });
});
