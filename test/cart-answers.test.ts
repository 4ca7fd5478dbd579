import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Order } from '../src/contract/orders.ts';
import { addCartItem } from '../src/server/modules/orders/cart-add.ts';
import { removeCartItem, setCartItemQuantity } from '../src/server/modules/orders/cart-service.ts';
import type { CartContext } from '../src/server/modules/orders/context.ts';
import { findOpenOrder } from '../src/server/modules/orders/history.ts';
import { createProduct, createUser } from './support/app.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';
import { countingCartContext } from './support/cart-context.ts';

/**
 * A cart change answers with the cart built from the rows it locked and the products of its lines,
 * without reading the cart back (decision 180): every answer must equal a read of the cart after it.
 */

describeEachDialect('cart change answers', (dialect) => {
  let database: TestDatabase;
  let ctx: CartContext;
  let statements: ReturnType<typeof countingCartContext>;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    statements = countingCartContext(database.db, { countEvents: false });
    ctx = statements.ctx;
  });
  afterAll(() => database.drop());

  const counted = async <T>(change: () => Promise<T>) => {
    statements.reset();
    const answer = await change();
    return { answer, used: statements.count() };
  };

  it('answers each add, quantity change and removal with exactly what a read of the cart returns', async () => {
    const user = await createUser(database.db);
    const first = await createProduct(database.db, { priceCents: 1250, stock: 40 });
    const second = await createProduct(database.db, { priceCents: 399, stock: 7 });
    const third = await createProduct(database.db, { priceCents: 5000, stock: 3 });
    await database.db
      .updateTable('products')
      .set({ image_path: '/uploads/third.webp' })
      .where('id', '=', third)
      .execute();
    const matchesRead = async (answer: Order | null) =>
      expect(answer).toEqual(await findOpenOrder(database.db, user.id));

    // A first add: look for the cart, read the product, open it, lock it, insert the line.
    const opened = await counted(() => addCartItem(ctx, user.id, { productId: first, quantity: 2 }));
    await matchesRead(opened.answer);
    expect(opened.used).toBe(5);
    for (const productId of [second, third]) {
      const added = await counted(() => addCartItem(ctx, user.id, { productId, quantity: 1 }));
      await matchesRead(added.answer);
      // Lock the cart, read its products, insert.
      expect(added.used).toBe(3);
    }

    // Another line's product changes price and is archived: the answer shows it as a read does.
    await database.db
      .updateTable('products')
      .set({ price_cents: 1100, archived: 1 })
      .where('id', '=', first)
      .execute();
    const more = await counted(() => addCartItem(ctx, user.id, { productId: second, quantity: 2 }));
    await matchesRead(more.answer);
    expect(more.used).toBe(3);
    expect(more.answer.lines.map((l) => [l.productId, l.quantity, l.unitPriceCents])).toEqual([
      [first, 2, 1100],
      [second, 3, 399],
      [third, 1, 5000],
    ]);

    const set = await counted(() => setCartItemQuantity(ctx, user.id, second, 5));
    await matchesRead(set.answer);
    expect(set.used).toBe(3);
    expect(set.answer?.totalCents).toBe(2 * 1100 + 5 * 399 + 5000);

    const removed = await counted(() => removeCartItem(ctx, user.id, first));
    await matchesRead(removed.answer);
    // Lock the cart, delete the line, read the other lines' products.
    expect(removed.used).toBe(3);
    await matchesRead(await removeCartItem(ctx, user.id, third));
    // The last line: the cart goes with it, in one delete after the lock.
    const last = await counted(() => removeCartItem(ctx, user.id, second));
    expect(last).toEqual({ answer: null, used: 2 });
    await matchesRead(null);
  });
});
