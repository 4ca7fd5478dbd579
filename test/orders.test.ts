import { afterAll, beforeAll, expect, it } from 'vitest';
import { createProduct, createTestApp, createUser, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

type User = Awaited<ReturnType<typeof createUser>>;

describeEachDialect('cart, checkout and order history', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    user: User | null,
    payload?: unknown,
    headers = {},
  ) =>
    t.app.inject({
      method,
      url,
      headers: { ...(user?.headers ?? {}), ...headers },
      payload: payload as object,
    });

  const stockOf = async (id: number) =>
    (await t.db.selectFrom('products').select('stock').where('id', '=', id).executeTakeFirstOrThrow()).stock;
  const eventsOf = (userId: number) =>
    t.db
      .selectFrom('events')
      .select(['type', 'product_id', 'payload'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
  const ordersOf = (userId: number) =>
    t.db.selectFrom('orders').selectAll().where('user_id', '=', userId).orderBy('id').execute();

  it('requires a session', async () => {
    for (const [method, url] of [
      ['GET', '/api/cart'],
      ['POST', '/api/cart/items'],
      ['POST', '/api/cart/checkout'],
      ['GET', '/api/orders'],
      ['GET', '/api/orders/1'],
    ] as const) {
      const res = await call(method, url, null, method === 'POST' ? {} : undefined);
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('opens the cart on the first add, sums quantities, sets, removes and deletes the last line', async () => {
    const user = await createUser(t.db);
    const a = await createProduct(t.db, { priceCents: 250, stock: 10 });
    const b = await createProduct(t.db, { priceCents: 100, stock: 10 });
    expect((await call('GET', '/api/cart', user)).json()).toEqual({ order: null });

    let res = await call('POST', '/api/cart/items', user, { productId: a, quantity: 2 });
    expect(res.statusCode).toBe(200);
    const first = res.json().order;
    expect(first).toMatchObject({ status: 'TEMP', closedAt: null, shippingAddress: null, totalCents: 500 });
    expect(first.lines).toEqual([
      expect.objectContaining({
        productId: a,
        quantity: 2,
        unitPriceCents: 250,
        lineTotalCents: 500,
        stock: 10,
      }),
    ]);
    expect(new Date(first.createdAt).toISOString()).toBe(first.createdAt);

    res = await call('POST', '/api/cart/items', user, { productId: a, quantity: 3 });
    expect(res.json().order.lines[0].quantity).toBe(5);
    expect(res.json().order.id).toBe(first.id);
    res = await call('POST', '/api/cart/items', user, { productId: b, quantity: 1 });
    expect(res.json().order.totalCents).toBe(5 * 250 + 100);

    res = await call('PUT', `/api/cart/items/${a}`, user, { quantity: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.json().order.lines.find((l: { productId: number }) => l.productId === a).quantity).toBe(1);

    res = await call('PUT', `/api/cart/items/${a}`, user, { quantity: 0 });
    expect(res.json().order.lines.map((l: { productId: number }) => l.productId)).toEqual([b]);
    expect((await call('PUT', `/api/cart/items/${a}`, user, { quantity: 2 })).json().code).toBe(
      'not_in_cart',
    );
    expect((await call('DELETE', `/api/cart/items/${a}`, user)).json().code).toBe('not_in_cart');

    res = await call('DELETE', `/api/cart/items/${b}`, user);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ order: null });
    expect(await ordersOf(user.id)).toEqual([]);

    await call('POST', '/api/cart/items', user, { productId: a, quantity: 1 });
    expect((await call('DELETE', '/api/cart', user)).statusCode).toBe(204);
    expect(await ordersOf(user.id)).toEqual([]);
    const gone = await call('DELETE', '/api/cart', user);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().code).toBe('no_open_order');

    const types = (await eventsOf(user.id)).map((e) => e.type);
    expect(types).toEqual([
      'cart_add',
      'cart_add',
      'cart_add',
      'cart_set',
      'cart_remove',
      'cart_remove',
      'cart_add',
      'cart_remove',
    ]);
  });

  it('never lets a line exceed stock, out of stock included', async () => {
    const user = await createUser(t.db);
    const p = await createProduct(t.db, { stock: 3 });
    const empty = await createProduct(t.db, { stock: 0 });
    let res = await call('POST', '/api/cart/items', user, { productId: empty, quantity: 1 });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'insufficient_stock', available: 0 });
    expect(await ordersOf(user.id)).toEqual([]);

    await call('POST', '/api/cart/items', user, { productId: p, quantity: 2 });
    res = await call('POST', '/api/cart/items', user, { productId: p, quantity: 2 });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'insufficient_stock', available: 3, inCart: 2 });
    res = await call('PUT', `/api/cart/items/${p}`, user, { quantity: 4 });
    expect(res.json()).toMatchObject({ code: 'insufficient_stock', available: 3 });
    expect((await call('GET', '/api/cart', user)).json().order.lines[0].quantity).toBe(2);
  });

  it('rejects every bad input with the documented 4xx and changes nothing', async () => {
    const user = await createUser(t.db);
    const p = await createProduct(t.db, { stock: 5 });
    await call('POST', '/api/cart/items', user, { productId: p, quantity: 1 });
    const before = JSON.stringify((await call('GET', '/api/orders', user)).json());
    const eventsBefore = (await eventsOf(user.id)).length;

    for (const quantity of [0, -1, 1.5, '2', null, 1001]) {
      const res = await call('POST', '/api/cart/items', user, { productId: p, quantity });
      expect(res.statusCode, `quantity ${JSON.stringify(quantity)}`).toBe(422);
      expect(res.json().code).toBe('validation_failed');
    }
    for (const productId of [0, -3, 2.5, String(p), null]) {
      const res = await call('POST', '/api/cart/items', user, { productId, quantity: 1 });
      expect(res.statusCode, `productId ${JSON.stringify(productId)}`).toBe(422);
    }
    expect((await call('POST', '/api/cart/items', user, { quantity: 1 })).statusCode).toBe(422);
    const unknown = await call('POST', '/api/cart/items', user, { productId: 999_999, quantity: 1 });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('not_found');

    for (const quantity of [-1, 0.5, 'x', 1001]) {
      expect((await call('PUT', `/api/cart/items/${p}`, user, { quantity })).statusCode).toBe(422);
    }
    for (const id of ['abc', '0', '1.5', '-2', '99999999999']) {
      expect((await call('PUT', `/api/cart/items/${id}`, user, { quantity: 1 })).statusCode, id).toBe(422);
      expect((await call('DELETE', `/api/cart/items/${id}`, user)).statusCode, id).toBe(422);
      expect((await call('GET', `/api/orders/${id}`, user)).statusCode, id).toBe(422);
    }
    for (const shippingAddress of ['', '   ', 'x'.repeat(301), 42, null]) {
      const res = await call('POST', '/api/cart/checkout', user, { shippingAddress });
      expect(res.statusCode, JSON.stringify(shippingAddress)).toBe(422);
    }
    expect((await call('POST', '/api/cart/checkout', user, {})).statusCode).toBe(422);
    const badKey = await call(
      'POST',
      '/api/cart/checkout',
      user,
      { shippingAddress: '1 Main St' },
      {
        'idempotency-key': 'x'.repeat(101),
      },
    );
    expect(badKey.statusCode).toBe(422);

    expect(JSON.stringify((await call('GET', '/api/orders', user)).json())).toBe(before);
    expect(await stockOf(p)).toBe(5);
    expect((await eventsOf(user.id)).length).toBe(eventsBefore);
  });

  it('answers a checkout with exactly what a read of the closed order returns', async () => {
    const user = await createUser(t.db);
    const a = await createProduct(t.db, { priceCents: 1200, stock: 9 });
    const b = await createProduct(t.db, { priceCents: 450, stock: 4 });
    await t.db.updateTable('products').set({ image_path: '/uploads/b.webp' }).where('id', '=', b).execute();
    // Lines in the order they were added (b first), while checkout locks products by id.
    await call('POST', '/api/cart/items', user, { productId: b, quantity: 3 });
    await call('POST', '/api/cart/items', user, { productId: a, quantity: 1 });
    const res = await call('POST', '/api/cart/checkout', user, {
      shippingAddress: '5 Oak Lane, Springfield',
    });
    expect(res.statusCode).toBe(201);
    const order = res.json();
    expect(order.lines.map((l: { productId: number; stock: number }) => [l.productId, l.stock])).toEqual([
      [b, 1],
      [a, 8],
    ]);
    expect((await call('GET', `/api/orders/${order.id}`, user)).json()).toEqual(order);
  });

  it('checks out with exact money, keeps the prices paid and opens a new cart afterwards', async () => {
    const user = await createUser(t.db);
    const a = await createProduct(t.db, { priceCents: 875, stock: 10 });
    const b = await createProduct(t.db, { priceCents: 999, stock: 10 });
    await call('POST', '/api/cart/items', user, { productId: a, quantity: 3 });
    await call('POST', '/api/cart/items', user, { productId: b, quantity: 2 });

    const res = await call('POST', '/api/cart/checkout', user, {
      shippingAddress: '  12 Elm Street, Springfield ',
    });
    expect(res.statusCode).toBe(201);
    const order = res.json();
    expect(order).toMatchObject({
      status: 'CLOSED',
      totalCents: 4623,
      shippingAddress: '12 Elm Street, Springfield',
    });
    expect(order.closedAt).not.toBeNull();
    expect(order.lines.map((l: { lineTotalCents: number }) => l.lineTotalCents)).toEqual([2625, 1998]);
    expect(await stockOf(a)).toBe(7);
    expect(await stockOf(b)).toBe(8);

    await t.db.updateTable('products').set({ price_cents: 1 }).where('id', 'in', [a, b]).execute();
    const again = (await call('GET', `/api/orders/${order.id}`, user)).json();
    expect(again.totalCents).toBe(4623);
    expect(again.lines.map((l: { unitPriceCents: number }) => l.unitPriceCents)).toEqual([875, 999]);

    expect((await call('GET', '/api/cart', user)).json()).toEqual({ order: null });
    const next = (await call('POST', '/api/cart/items', user, { productId: a, quantity: 1 })).json().order;
    expect(next.id).not.toBe(order.id);
    expect(next.totalCents).toBe(1);

    const checkout = (await eventsOf(user.id)).find((e) => e.type === 'checkout');
    expect(JSON.parse(checkout!.payload!)).toMatchObject({
      orderId: order.id,
      totalCents: 4623,
      items: [
        { productId: a, quantity: 3, unitPriceCents: 875 },
        { productId: b, quantity: 2, unitPriceCents: 999 },
      ],
    });
  });

  it('lists the TEMP order first, then CLOSED newest first, and hides other users’ orders', async () => {
    const user = await createUser(t.db);
    const other = await createUser(t.db);
    const p = await createProduct(t.db, { stock: 50 });
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      await call('POST', '/api/cart/items', user, { productId: p, quantity: 1 });
      ids.push(
        (await call('POST', '/api/cart/checkout', user, { shippingAddress: `Street ${i}` })).json().id,
      );
    }
    const temp = (await call('POST', '/api/cart/items', user, { productId: p, quantity: 2 })).json().order;
    const list = (await call('GET', '/api/orders', user)).json();
    expect(list.map((o: { id: number }) => o.id)).toEqual([temp.id, ids[2], ids[1], ids[0]]);
    expect(list[0].status).toBe('TEMP');

    expect((await call('GET', '/api/orders', other)).json()).toEqual([]);
    for (const id of [ids[0], temp.id, 987_654]) {
      const res = await call('GET', `/api/orders/${id}`, other);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
    // Other users cannot touch the cart either: their cart operations only ever see their own.
    expect((await call('DELETE', `/api/cart/items/${p}`, other)).json().code).toBe('not_in_cart');
    expect((await call('GET', '/api/cart', user)).json().order.id).toBe(temp.id);
  });

  it('rejects a checkout that would oversell with the shortages and changes nothing', async () => {
    const user = await createUser(t.db);
    const a = await createProduct(t.db, { stock: 5 });
    const b = await createProduct(t.db, { stock: 5 });
    await call('POST', '/api/cart/items', user, { productId: a, quantity: 2 });
    await call('POST', '/api/cart/items', user, { productId: b, quantity: 4 });
    await t.db.updateTable('products').set({ stock: 1 }).where('id', '=', b).execute();

    const res = await call('POST', '/api/cart/checkout', user, { shippingAddress: '1 Main St' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'insufficient_stock',
      items: [{ productId: b, requested: 4, available: 1 }],
    });
    expect(await stockOf(a)).toBe(5);
    expect(await stockOf(b)).toBe(1);
    const [order] = await ordersOf(user.id);
    expect(order.status).toBe('TEMP');
    expect(order.shipping_address).toBeNull();
    const lines = await t.db.selectFrom('order_lines').selectAll().where('order_id', '=', order.id).execute();
    expect(lines.every((l) => l.unit_price_cents === null)).toBe(true);

    const none = await call('POST', '/api/cart/checkout', await createUser(t.db), { shippingAddress: 'x' });
    expect(none.statusCode).toBe(404);
    expect(none.json().code).toBe('no_open_order');
  });

  it('returns the same order for a repeated Idempotency-Key', async () => {
    const user = await createUser(t.db);
    const p = await createProduct(t.db, { priceCents: 300, stock: 5 });
    await call('POST', '/api/cart/items', user, { productId: p, quantity: 2 });
    const headers = { 'idempotency-key': 'order-attempt-1' };
    const first = await call('POST', '/api/cart/checkout', user, { shippingAddress: 'A' }, headers);
    const second = await call('POST', '/api/cart/checkout', user, { shippingAddress: 'A' }, headers);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(await stockOf(p)).toBe(3);
    const noKey = await call('POST', '/api/cart/checkout', user, { shippingAddress: 'A' });
    expect(noKey.json().code).toBe('no_open_order');
    expect((await eventsOf(user.id)).filter((e) => e.type === 'checkout')).toHaveLength(1);
  });

  it('keeps the cart across logout and removes everything of the person with the account', async () => {
    const user = await createUser(t.db);
    const p = await createProduct(t.db, { stock: 5 });
    await call('POST', '/api/cart/items', user, { productId: p, quantity: 1 });
    await call('POST', '/api/cart/checkout', user, { shippingAddress: 'A' });
    const cart = (await call('POST', '/api/cart/items', user, { productId: p, quantity: 2 })).json().order;
    expect((await call('PUT', `/api/favorites/${p}`, user)).statusCode).toBe(204);

    expect((await call('POST', '/api/auth/logout', user)).statusCode).toBe(204);
    expect((await call('GET', '/api/cart', user)).statusCode).toBe(401);
    const login = await call('POST', '/api/auth/login', null, {
      username: user.username,
      password: user.password,
    });
    expect(login.statusCode).toBe(200);
    const again = { ...user, headers: { authorization: `Bearer ${login.json().token}` } };
    expect((await call('GET', '/api/cart', again)).json().order).toMatchObject({
      id: cart.id,
      lines: [{ quantity: 2 }],
    });

    expect(await ordersOf(user.id)).toHaveLength(2);
    expect((await eventsOf(user.id)).length).toBeGreaterThan(0);
    expect((await call('DELETE', '/api/me', again, { password: user.password })).statusCode).toBe(204);
    expect(await ordersOf(user.id)).toEqual([]);
    expect(await eventsOf(user.id)).toEqual([]);
    expect(
      await t.db.selectFrom('favorites').select('product_id').where('user_id', '=', user.id).execute(),
    ).toEqual([]);
    // The cart's line went with the account; the closed order's line stays, with no owner.
    const lines = await t.db
      .selectFrom('order_lines')
      .innerJoin('orders', 'orders.id', 'order_lines.order_id')
      .select(['orders.status', 'orders.user_id', 'orders.shipping_address', 'order_lines.quantity'])
      .where('product_id', '=', p)
      .execute();
    expect(lines).toEqual([{ status: 'CLOSED', user_id: null, shipping_address: null, quantity: 1 }]);
    expect(await stockOf(p)).toBe(4);
  });
});
