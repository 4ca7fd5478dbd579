import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_LINE_QUANTITY, type Order } from '../src/contract/orders.ts';
import type { AppError } from '../src/server/app-error.ts';
import type { Db } from '../src/server/db/database.ts';
import { addCartItem } from '../src/server/modules/orders/cart-add.ts';
import type { CartContext } from '../src/server/modules/orders/context.ts';
import { findOpenOrder } from '../src/server/modules/orders/history.ts';
import { createProduct, createUser } from './support/app.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';
import { countingCartContext } from './support/cart-context.ts';

/**
 * Adds of different shoppers that arrive together share one transaction (decision 179). Calls made
 * in one tick are deterministic: the first runs alone at once, the others queue behind it and go
 * together. Every answer must be exactly what the add alone would answer.
 */

describeEachDialect('cart adds sharing a transaction', (dialect) => {
  let database: TestDatabase;
  let ctx: CartContext;
  let statements: ReturnType<typeof countingCartContext>;

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { poolSize: 10 });
    statements = countingCartContext(database.db, { countEvents: true });
    ctx = statements.ctx;
  });
  afterAll(() => database.drop());

  type User = Awaited<ReturnType<typeof createUser>>;
  const shoppers = (n: number) => Promise.all(Array.from({ length: n }, () => createUser(database.db)));
  const outcome = (p: Promise<Order>) =>
    p.then(
      (order) => ({ order }),
      (error: AppError) => ({ status: error.status, code: error.code, details: error.extra }),
    );
  const openOrderCount = async (userId: number) =>
    (
      await database.db
        .selectFrom('orders')
        .select('id')
        .where('user_id', '=', userId)
        .where('status', '=', 'TEMP')
        .execute()
    ).length;
  const quantities = (order: Order | null) =>
    Object.fromEntries((order?.lines ?? []).map((l) => [l.productId, l.quantity]));

  it('answers 20 shoppers adding at once with their own carts, in far fewer statements than 20 adds alone', async () => {
    const users = await shoppers(21);
    const products: number[] = [];
    for (let i = 0; i < 3; i++) products.push(await createProduct(database.db, { stock: 50 }));
    const [first, second, third] = products as [number, number, number];
    for (const u of users) await addCartItem(ctx, u.id, { productId: first, quantity: 1 });

    statements.reset();
    // Half add more of what they have, half a product new to their cart.
    const orders = await Promise.all(
      users.map((u, i) => addCartItem(ctx, u.id, { productId: i % 2 ? first : second, quantity: 2 })),
    );
    const used = statements.count();

    for (const [i, u] of users.entries()) {
      const stored = await findOpenOrder(database.db, u.id);
      expect(orders[i]).toEqual(stored);
      expect(quantities(stored)).toEqual(i % 2 ? { [first]: 3 } : { [first]: 1, [second]: 2 });
    }
    // Alone, each add locks its cart, reads the products and writes: 3 × 21. Together: the first
    // alone (3), then the other 20 in one transaction (lock, products, update, insert), plus the
    // behaviour events either way.
    const events = 21;
    expect(used - events).toBeLessThanOrEqual(3 + 4);

    // A third product for everyone, one tick: still one shared transaction for all but the first.
    statements.reset();
    await Promise.all(users.map((u) => addCartItem(ctx, u.id, { productId: third, quantity: 1 })));
    expect(statements.count() - events).toBeLessThanOrEqual(3 + 4);
  });

  it('opens the carts of shoppers adding for the first time together, one cart each', async () => {
    const users = await shoppers(11);
    const product = await createProduct(database.db, { stock: 100 });
    statements.reset();
    const orders = await Promise.all(
      users.map((u) => addCartItem(ctx, u.id, { productId: product, quantity: 2 })),
    );
    const used = statements.count();
    for (const [i, u] of users.entries()) {
      expect(orders[i]).toEqual(await findOpenOrder(database.db, u.id));
      expect(quantities(orders[i] as Order)).toEqual({ [product]: 2 });
      expect(await openOrderCount(u.id)).toBe(1);
    }
    // Alone, a first add is 5 statements (lock, product, open, lock it, insert): 55. Together: the
    // first alone (5), then lock, products, open all, lock them, insert (5).
    expect(used - users.length).toBeLessThanOrEqual(5 + 5);
  });

  it('gives each add in a shared batch the answer it would get alone, refusals included', async () => {
    const [plain, twice, tooMany, overLimit, archived, fresh] = await shoppers(6);
    const scarce = await createProduct(database.db, { stock: 3 });
    const plenty = await createProduct(database.db, { stock: 10_000 });
    const gone = await createProduct(database.db, { stock: 5 });
    await database.db.updateTable('products').set({ archived: 1 }).where('id', '=', gone).execute();
    for (const u of [plain, twice, tooMany, overLimit, archived]) {
      await addCartItem(ctx, u!.id, { productId: plenty, quantity: 1 });
    }
    await addCartItem(ctx, overLimit!.id, { productId: plenty, quantity: MAX_LINE_QUANTITY - 2 });

    const starter = await shoppers(1);
    const results = await Promise.all([
      // Runs alone and makes the others queue into one batch.
      outcome(addCartItem(ctx, starter[0]!.id, { productId: plenty, quantity: 1 })),
      outcome(addCartItem(ctx, plain!.id, { productId: scarce, quantity: 2 })),
      outcome(addCartItem(ctx, twice!.id, { productId: scarce, quantity: 1 })),
      outcome(addCartItem(ctx, twice!.id, { productId: scarce, quantity: 1 })),
      outcome(addCartItem(ctx, tooMany!.id, { productId: scarce, quantity: 4 })),
      outcome(addCartItem(ctx, overLimit!.id, { productId: plenty, quantity: 2 })),
      outcome(addCartItem(ctx, archived!.id, { productId: gone, quantity: 1 })),
      outcome(addCartItem(ctx, fresh!.id, { productId: scarce, quantity: 3 })),
    ]);

    const [, plainR, twiceA, twiceB, tooManyR, overLimitR, archivedR, freshR] = results;
    expect(plainR).toEqual({ order: await findOpenOrder(database.db, plain!.id) });
    expect(quantities((plainR as { order: Order }).order)).toEqual({ [plenty]: 1, [scarce]: 2 });
    // The same shopper twice in one batch: both adds count, one after the other.
    expect(quantities((await findOpenOrder(database.db, twice!.id)) as Order)).toEqual({
      [plenty]: 1,
      [scarce]: 2,
    });
    expect([twiceA, twiceB].map((r) => quantities((r as { order: Order }).order)[scarce]).sort()).toEqual([
      1, 2,
    ]);
    expect(tooManyR).toEqual({
      status: 409,
      code: 'insufficient_stock',
      details: { available: 3, inCart: 0 },
    });
    expect(overLimitR).toEqual({
      status: 409,
      code: 'quantity_limit',
      details: { max: MAX_LINE_QUANTITY, inCart: MAX_LINE_QUANTITY - 1 },
    });
    expect(archivedR).toEqual({ status: 404, code: 'not_found', details: {} });
    // A first add opens the cart.
    expect(quantities((freshR as { order: Order }).order)).toEqual({ [scarce]: 3 });
    // Refusals changed nothing.
    expect(quantities(await findOpenOrder(database.db, tooMany!.id))).toEqual({ [plenty]: 1 });
    expect(quantities(await findOpenOrder(database.db, overLimit!.id))).toEqual({
      [plenty]: MAX_LINE_QUANTITY - 1,
    });
    expect(quantities(await findOpenOrder(database.db, archived!.id))).toEqual({ [plenty]: 1 });
  });

  it('keeps one cart per shopper when two instances open the same carts at once', async () => {
    // A second batcher on the same database, as another instance has.
    const other: CartContext = {
      ...ctx,
      db: database.db.withPlugin({
        transformQuery: (a) => a.node,
        transformResult: async (a) => a.result,
      }) as Db,
    };
    const users = await shoppers(12);
    const product = await createProduct(database.db, { stock: 1_000 });
    const [firstHere, firstThere, ...both] = users as [User, User, ...User[]];
    const add = (c: CartContext, u: User) => addCartItem(c, u.id, { productId: product, quantity: 1 });
    // Each instance's first add runs alone; then both open the same ten carts together.
    await Promise.all([
      add(ctx, firstHere),
      add(other, firstThere),
      ...both.flatMap((u) => [add(ctx, u), add(other, u)]),
    ]);
    expect(quantities(await findOpenOrder(database.db, firstHere.id))).toEqual({ [product]: 1 });
    expect(quantities(await findOpenOrder(database.db, firstThere.id))).toEqual({ [product]: 1 });
    for (const u of both) {
      expect(quantities(await findOpenOrder(database.db, u.id))).toEqual({ [product]: 2 });
      expect(await openOrderCount(u.id)).toBe(1);
    }
  });

  it('adds up every concurrent add of many shoppers exactly once', async () => {
    const users = await shoppers(15);
    const product = await createProduct(database.db, { stock: 10_000 });
    // Five waves of one add per shopper, all in flight at once, repeated shoppers included.
    const calls = users.flatMap((u) =>
      Array.from({ length: 5 }, () => addCartItem(ctx, u.id, { productId: product, quantity: 1 })),
    );
    await Promise.all(calls);
    for (const u of users)
      expect(quantities(await findOpenOrder(database.db, u.id))).toEqual({ [product]: 5 });
  });
});
