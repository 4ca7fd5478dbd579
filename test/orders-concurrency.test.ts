import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import type { FastifyInstance } from 'fastify';
import { createDomainEventBus } from '../src/server/domain-events.ts';
import { lockCart } from '../src/server/modules/orders/queries.ts';
import { createProduct, createUser, testConfig } from './support/app.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';

/**
 * Real parallel HTTP requests against a listening server: the races the cart and checkout must win
 * on both databases. After every race, stock taken equals what CLOSED orders hold.
 */

type User = Awaited<ReturnType<typeof createUser>>;
interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of several shapes
  body: any;
}

describeEachDialect('cart and checkout under concurrency', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let base: string;
  const closedEvents: { userId: number; orderId: number; totalCents: number }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { poolSize: 20 });
    const events = createDomainEventBus();
    events.on('order.closed', (e) => closedEvents.push(e));
    app = await buildApp({ config: testConfig({ DATABASE_URL: database.url }), db: database.db, events });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  async function call(
    method: string,
    path: string,
    user: User,
    body?: unknown,
    headers = {},
  ): Promise<Reply> {
    const res = await fetch(base + path, {
      method,
      headers: {
        ...user.headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  const add = (user: User, productId: number, quantity = 1) =>
    call('POST', '/api/cart/items', user, { productId, quantity });
  const checkout = (user: User, headers = {}) =>
    call('POST', '/api/cart/checkout', user, { shippingAddress: '1 Race Road' }, headers);

  const users = (n: number) => Promise.all(Array.from({ length: n }, () => createUser(database.db)));
  const stockOf = async (id: number) =>
    (await database.db.selectFrom('products').select('stock').where('id', '=', id).executeTakeFirstOrThrow())
      .stock;

  /** initial stock − final stock = Σ quantities in CLOSED, not cancelled, lines, product by product. */
  async function expectStockAccountedFor(initial: Map<number, number>) {
    for (const [productId, start] of initial) {
      const sold = await database.db
        .selectFrom('order_lines')
        .innerJoin('orders', 'orders.id', 'order_lines.order_id')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('order_lines.quantity'), eb.lit(0)).as('n'))
        .where('orders.status', '=', 'CLOSED')
        .where('orders.fulfillment_status', '!=', 'cancelled')
        .where('order_lines.product_id', '=', productId)
        .executeTakeFirstOrThrow();
      const stock = await stockOf(productId);
      expect(stock).toBeGreaterThanOrEqual(0);
      expect(start - stock, `product ${productId}`).toBe(Number(sold.n));
    }
    const unpriced = await database.db
      .selectFrom('order_lines')
      .innerJoin('orders', 'orders.id', 'order_lines.order_id')
      .select('order_lines.id')
      .where('orders.status', '=', 'CLOSED')
      .where('order_lines.unit_price_cents', 'is', null)
      .execute();
    expect(unpriced).toEqual([]);
  }

  const statuses = (replies: Reply[]) => replies.map((r) => r.status);
  const expectNo5xx = (replies: Reply[]) =>
    expect(replies.filter((r) => r.status >= 500).map((r) => r.body)).toEqual([]);

  it('50 buyers racing for 5 units: exactly 5 orders close and stock ends at 0', async () => {
    const product = await createProduct(database.db, { stock: 5, priceCents: 1234 });
    const buyers = await users(50);
    expect(statuses(await Promise.all(buyers.map((b) => add(b, product))))).toEqual(buyers.map(() => 200));
    const before = closedEvents.length;

    const replies = await Promise.all(buyers.map((b) => checkout(b)));
    expectNo5xx(replies);
    const won = replies.filter((r) => r.status === 201);
    expect(won).toHaveLength(5);
    expect(replies.filter((r) => r.status === 409).every((r) => r.body.code === 'insufficient_stock')).toBe(
      true,
    );
    expect(replies.filter((r) => r.status === 409)).toHaveLength(45);
    expect(won.every((r) => r.body.status === 'CLOSED' && r.body.totalCents === 1234)).toBe(true);
    expect(await stockOf(product)).toBe(0);
    const closed = await database.db
      .selectFrom('order_lines')
      .innerJoin('orders', 'orders.id', 'order_lines.order_id')
      .select('orders.id')
      .where('order_lines.product_id', '=', product)
      .where('orders.status', '=', 'CLOSED')
      .execute();
    expect(closed).toHaveLength(5);
    expect(closedEvents.length - before).toBe(5);
    await expectStockAccountedFor(new Map([[product, 5]]));
  });

  it('a double submit closes one order and takes the stock once, with or without a key', async () => {
    const product = await createProduct(database.db, { stock: 100 });
    const [user] = await users(1);
    for (let round = 0; round < 5; round++) {
      await add(user, product, 2);
      const replies = await Promise.all([checkout(user), checkout(user)]);
      expectNo5xx(replies);
      expect(statuses(replies).sort()).toEqual([201, 404]);
      expect(replies.find((r) => r.status === 404)!.body.code).toBe('no_open_order');
    }
    for (let round = 0; round < 5; round++) {
      await add(user, product, 1);
      const key = { 'idempotency-key': `double-${round}` };
      const replies = await Promise.all([checkout(user, key), checkout(user, key), checkout(user, key)]);
      expect(statuses(replies)).toEqual([201, 201, 201]);
      expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
      expect(replies[1].body).toEqual(replies[0].body);
    }
    expect(await stockOf(product)).toBe(100 - 5 * 2 - 5);
    const orders = await database.db
      .selectFrom('orders')
      .select('status')
      .where('user_id', '=', user.id)
      .execute();
    expect(orders.filter((o) => o.status === 'CLOSED')).toHaveLength(10);
    await expectStockAccountedFor(new Map([[product, 100]]));
  });

  it('10 concurrent first adds of different products make one TEMP order with 10 lines', async () => {
    const products = await Promise.all(
      Array.from({ length: 10 }, () => createProduct(database.db, { stock: 3 })),
    );
    const [user] = await users(1);
    const replies = await Promise.all(products.map((p) => add(user, p)));
    expectNo5xx(replies);
    expect(statuses(replies)).toEqual(products.map(() => 200));
    const orders = await database.db
      .selectFrom('orders')
      .select(['id', 'status'])
      .where('user_id', '=', user.id)
      .execute();
    expect(orders).toEqual([{ id: expect.any(Number), status: 'TEMP' }]);
    const cart = (await call('GET', '/api/cart', user)).body.order;
    expect(cart.id).toBe(orders[0].id);
    expect(
      cart.lines.map((l: { productId: number }) => l.productId).sort((a: number, b: number) => a - b),
    ).toEqual([...products].sort((a, b) => a - b));
    await expectStockAccountedFor(new Map(products.map((p) => [p, 3])));
  });

  it('concurrent adds of one product sum into one line or answer 409, never 5xx', async () => {
    const product = await createProduct(database.db, { stock: 10 });
    const [user] = await users(1);
    const replies = await Promise.all(Array.from({ length: 8 }, () => add(user, product, 2)));
    expectNo5xx(replies);
    const ok = replies.filter((r) => r.status === 200).length;
    expect(ok).toBe(5);
    expect(replies.filter((r) => r.status === 409).every((r) => r.body.code === 'insufficient_stock')).toBe(
      true,
    );
    const cart = (await call('GET', '/api/cart', user)).body.order;
    expect(cart.lines).toEqual([expect.objectContaining({ productId: product, quantity: 2 * ok })]);
    await expectStockAccountedFor(new Map([[product, 10]]));
  });

  it('two users checking out the same products in opposite order both finish with 201 or 409', async () => {
    const initial = new Map<number, number>();
    for (let round = 0; round < 5; round++) {
      const a = await createProduct(database.db, { stock: 3 });
      const b = await createProduct(database.db, { stock: 3 });
      initial.set(a, 3).set(b, 3);
      const [first, second] = await users(2);
      await add(first, a, 2);
      await add(first, b, 2);
      await add(second, b, 2);
      await add(second, a, 2);
      const replies = await Promise.all([checkout(first), checkout(second)]);
      expectNo5xx(replies);
      expect(statuses(replies).sort()).toEqual([201, 409]);
      expect(await stockOf(a)).toBe(1);
      expect(await stockOf(b)).toBe(1);
    }
    await expectStockAccountedFor(initial);
  });

  it('an add racing a checkout never lands in a CLOSED order without its stock', async () => {
    const initial = new Map<number, number>();
    for (let round = 0; round < 8; round++) {
      const a = await createProduct(database.db, { stock: 5 });
      const b = await createProduct(database.db, { stock: 5 });
      initial.set(a, 5).set(b, 5);
      const [user] = await users(1);
      await add(user, a, 1);
      const [done, added] = await Promise.all([checkout(user), add(user, b, 2)]);
      expectNo5xx([done, added]);
      expect(done.status).toBe(201);
      expect(added.status).toBe(200);
      const closedHasB = done.body.lines.some((l: { productId: number }) => l.productId === b);
      // Either the add came first and was bought with the order, or it opened a fresh cart.
      if (closedHasB) expect(added.body.order.id).toBe(done.body.id);
      else expect(added.body.order.id).not.toBe(done.body.id);
      expect(await stockOf(b)).toBe(closedHasB ? 3 : 5);
      const cart = (await call('GET', '/api/cart', user)).body.order;
      if (closedHasB) expect(cart).toBeNull();
      else expect(cart.lines).toEqual([expect.objectContaining({ productId: b, quantity: 2 })]);
    }
    await expectStockAccountedFor(initial);
  });

  it("an add waiting behind a checkout's lock opens a new cart instead of joining the closed order", async () => {
    const a = await createProduct(database.db, { stock: 5 });
    const b = await createProduct(database.db, { stock: 5 });
    const [user] = await users(1);
    const cart = (await add(user, a, 1)).body.order;
    let settled = false;
    let pending: Promise<Reply> | undefined;
    // Stand in for a checkout: take the TEMP order's lock as checkout does, then close the order.
    await database.db.transaction().execute(async (trx) => {
      expect((await lockCart(trx, user.id))?.order.id).toBe(cart.id);
      pending = add(user, b, 2).finally(() => {
        settled = true;
      });
      await sleep(300);
      expect(settled).toBe(false);
      await trx
        .updateTable('products')
        .set((eb) => ({ stock: eb('stock', '-', 1) }))
        .where('id', '=', a)
        .execute();
      await trx
        .updateTable('order_lines')
        .set({ unit_price_cents: 1000 })
        .where('order_id', '=', cart.id)
        .execute();
      await trx
        .updateTable('orders')
        .set({ status: 'CLOSED', closed_at: Date.now(), shipping_address: 'x', total_cents: 1000 })
        .where('id', '=', cart.id)
        .execute();
    });
    const added = await pending!;
    expect(added.status).toBe(200);
    expect(added.body.order.id).not.toBe(cart.id);
    const closedLines = await database.db
      .selectFrom('order_lines')
      .select('product_id')
      .where('order_id', '=', cart.id)
      .execute();
    expect(closedLines).toEqual([{ product_id: a }]);
    await expectStockAccountedFor(
      new Map([
        [a, 5],
        [b, 5],
      ]),
    );
  });
});
