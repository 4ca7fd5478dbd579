import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { createProduct, createUser, testConfig } from './support/app.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';
import { orderClient, type Reply, type User } from './support/order-client.ts';

/**
 * An order's life after checkout with manual payment: every transition allowed and refused,
 * cancellation restocking exactly once (also when cancels race over real connections), the
 * timeline, the console's filters, and the orders a deleted account leaves behind.
 */

describeEachDialect('order lifecycle', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let base: string;
  let admin: User;

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { poolSize: 20 });
    app = await buildApp({ config: testConfig({ DATABASE_URL: database.url }), db: database.db });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    admin = await createUser(database.db, { role: 'admin' });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const client = orderClient(
    () => base,
    () => database.db,
  );
  const { call, stockOf } = client;

  const placeOrder = (user: User, items: [productId: number, quantity: number][]) =>
    client.placeOrder(user, items, '7 Elm Street, Springfield');

  const adminAction = (id: number, action: string, body?: unknown) =>
    call('POST', `/api/admin/orders/${id}/${action}`, admin, body);
  const ship = (id: number) =>
    adminAction(id, 'ship', { carrier: 'UPS', trackingNumber: '1Z999AA10123456784' });
  const adminCancel = (id: number) => adminAction(id, 'cancel', { reason: 'Customer phoned' });

  /** initial − final stock = Σ quantities of CLOSED lines whose order is not cancelled. */
  async function expectStockInvariant(initial: Map<number, number>) {
    for (const [productId, start] of initial) {
      const sold = await database.db
        .selectFrom('order_lines')
        .innerJoin('orders', 'orders.id', 'order_lines.order_id')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('order_lines.quantity'), eb.lit(0)).as('n'))
        .where('orders.status', '=', 'CLOSED')
        .where('orders.fulfillment_status', '!=', 'cancelled')
        .where('order_lines.product_id', '=', productId)
        .executeTakeFirstOrThrow();
      expect(start - (await stockOf(productId)), `product ${productId}`).toBe(Number(sold.n));
    }
  }

  it('a placed order awaits payment, is unfulfilled, has a public number and a timeline', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 5, priceCents: 1500 });
    const order = await placeOrder(user, [[p, 2]]);
    expect(order).toMatchObject({
      status: 'CLOSED',
      paymentStatus: 'awaiting',
      fulfillmentStatus: 'unfulfilled',
      payment: { provider: 'manual' },
      shipment: null,
      cancellable: true,
      timeline: [{ type: 'placed', by: 'customer', note: null }],
    });
    expect(order.payment.checkoutUrl).toBeUndefined();
    expect(order.number).toMatch(/^[0-9A-HJKMNP-TV-Z]{7}$/);
    const cart = await call('POST', '/api/cart/items', user, { productId: p, quantity: 1 });
    expect(cart.body.order).toMatchObject({
      number: null,
      paymentStatus: null,
      fulfillmentStatus: null,
      payment: null,
      cancellable: false,
    });
  });

  it('walks paid → shipped → delivered and refuses every transition the state does not allow', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 10 });
    const { id } = await placeOrder(user, [[p, 1]]);
    const refused = async (reply: Promise<Reply>, state: [string, string]) => {
      const res = await reply;
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body).toMatchObject({
        code: 'invalid_transition',
        paymentStatus: state[0],
        fulfillmentStatus: state[1],
      });
    };

    await refused(adminAction(id, 'deliver'), ['awaiting', 'unfulfilled']);
    let res = await adminAction(id, 'mark-paid');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      paymentStatus: 'paid',
      fulfillmentStatus: 'unfulfilled',
      username: user.username,
    });
    await refused(adminAction(id, 'mark-paid'), ['paid', 'unfulfilled']);

    res = await ship(id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      fulfillmentStatus: 'shipped',
      cancellable: false,
      shipment: { carrier: 'UPS', trackingNumber: '1Z999AA10123456784' },
    });
    await refused(ship(id), ['paid', 'shipped']);
    await refused(adminCancel(id), ['paid', 'shipped']);
    await refused(call('POST', `/api/orders/${id}/cancel`, user), ['paid', 'shipped']);

    res = await adminAction(id, 'deliver');
    expect(res.status).toBe(200);
    expect(res.body.fulfillmentStatus).toBe('delivered');
    await refused(adminAction(id, 'deliver'), ['paid', 'delivered']);
    await refused(adminCancel(id), ['paid', 'delivered']);
    await refused(ship(id), ['paid', 'delivered']);

    const seen = (await call('GET', `/api/orders/${id}`, user)).body;
    expect(seen.timeline.map((e: { type: string; by: string }) => [e.type, e.by])).toEqual([
      ['placed', 'customer'],
      ['paid', admin.username],
      ['shipped', admin.username],
      ['delivered', admin.username],
    ]);
    expect(seen.timeline[2].note).toBe('UPS 1Z999AA10123456784');
    expect(await stockOf(p)).toBe(9);
  });

  it('a manual order may ship before it is paid (cash on delivery) and be paid on delivery', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 3 });
    const { id } = await placeOrder(user, [[p, 1]]);
    expect((await ship(id)).status).toBe(200);
    expect((await adminAction(id, 'deliver')).status).toBe(200);
    const paid = await adminAction(id, 'mark-paid');
    expect(paid.body).toMatchObject({ paymentStatus: 'paid', fulfillmentStatus: 'delivered' });
  });

  it('cancelling restocks every line once; a cancelled order refuses everything', async () => {
    const user = await createUser(database.db);
    const a = await createProduct(database.db, { stock: 10 });
    const b = await createProduct(database.db, { stock: 4 });
    const { id } = await placeOrder(user, [
      [a, 3],
      [b, 4],
    ]);
    expect([await stockOf(a), await stockOf(b)]).toEqual([7, 0]);
    const res = await adminCancel(id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      fulfillmentStatus: 'cancelled',
      paymentStatus: 'awaiting',
      cancellable: false,
      cancelReason: 'Customer phoned',
    });
    expect(res.body.timeline.at(-1)).toMatchObject({
      type: 'cancelled',
      by: admin.username,
      note: 'Customer phoned',
    });
    expect([await stockOf(a), await stockOf(b)]).toEqual([10, 4]);
    for (const reply of [
      adminCancel(id),
      call('POST', `/api/orders/${id}/cancel`, user),
      adminAction(id, 'mark-paid'),
      ship(id),
      adminAction(id, 'deliver'),
    ]) {
      const r = await reply;
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ code: 'invalid_transition', fulfillmentStatus: 'cancelled' });
    }
    expect([await stockOf(a), await stockOf(b)]).toEqual([10, 4]);
  });

  it('a customer cancels only their own unfulfilled order; carts and unknown ids are 404', async () => {
    const user = await createUser(database.db);
    const other = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 5 });
    const { id } = await placeOrder(user, [[p, 2]]);
    expect((await call('POST', `/api/orders/${id}/cancel`, other)).status).toBe(404);
    expect((await call('POST', `/api/orders/${id}/cancel`, null)).status).toBe(401);
    expect((await call('POST', '/api/orders/999999/cancel', user)).status).toBe(404);
    const cart = (await call('POST', '/api/cart/items', user, { productId: p, quantity: 1 })).body.order;
    expect((await call('POST', `/api/orders/${cart.id}/cancel`, user)).status).toBe(404);
    expect((await adminCancel(cart.id)).body.code).toBe('invalid_transition');
    expect(await stockOf(p)).toBe(3);

    const res = await call('POST', `/api/orders/${id}/cancel`, user);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      fulfillmentStatus: 'cancelled',
      cancelReason: 'Cancelled by the customer',
    });
    expect(res.body.timeline.at(-1)).toMatchObject({ type: 'cancelled', by: 'customer' });
    expect(await stockOf(p)).toBe(5);
  });

  it('refuses bad action bodies and non-admins without changing anything', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 5 });
    const { id } = await placeOrder(user, [[p, 1]]);
    for (const body of [
      {},
      { carrier: ' ', trackingNumber: 'X' },
      { carrier: 'UPS', trackingNumber: 'a\u0000b' },
    ]) {
      const res = await adminAction(id, 'ship', body);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await adminAction(id, 'cancel', { reason: '' })).status).toBe(422);
    for (const action of ['mark-paid', 'ship', 'deliver', 'cancel']) {
      const body = action === 'ship' || action === 'cancel' ? {} : undefined;
      expect((await call('POST', `/api/admin/orders/${id}/${action}`, user, body)).status).toBe(403);
      expect((await call('POST', `/api/admin/orders/${id}/${action}`, null, body)).status).toBe(401);
    }
    expect((await adminAction(999_999, 'mark-paid')).status).toBe(404);
    const order = (await call('GET', `/api/orders/${id}`, user)).body;
    expect(order).toMatchObject({ paymentStatus: 'awaiting', fulfillmentStatus: 'unfulfilled' });
    expect(order.timeline).toHaveLength(1);
    expect(await stockOf(p)).toBe(4);
  });

  it('racing cancels (customer and admin, five each) restock exactly once per order', async () => {
    const products = await Promise.all([
      createProduct(database.db, { stock: 50 }),
      createProduct(database.db, { stock: 50 }),
    ]);
    const initial = new Map(products.map((p) => [p, 50]));
    const buyers = await Promise.all(Array.from({ length: 6 }, () => createUser(database.db)));
    const orders = [];
    for (const buyer of buyers) {
      orders.push({
        buyer,
        order: await placeOrder(buyer, [
          [products[0], 2],
          [products[1], 3],
        ]),
      });
    }
    const replies = await Promise.all(
      orders.flatMap(({ buyer, order }) =>
        Array.from({ length: 10 }, (_, i) =>
          i % 2 === 0 ? call('POST', `/api/orders/${order.id}/cancel`, buyer) : adminCancel(order.id),
        ),
      ),
    );
    expect(replies.filter((r) => r.status >= 500).map((r) => r.body)).toEqual([]);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(orders.length);
    expect(replies.filter((r) => r.status === 409 && r.body.code === 'invalid_transition')).toHaveLength(
      orders.length * 9,
    );
    expect(await stockOf(products[0])).toBe(50);
    expect(await stockOf(products[1])).toBe(50);
    const cancelled = await database.db
      .selectFrom('order_timeline')
      .select('order_id')
      .where('type', '=', 'cancelled')
      .where(
        'order_id',
        'in',
        orders.map((o) => o.order.id),
      )
      .execute();
    expect(cancelled).toHaveLength(orders.length);
    await expectStockInvariant(initial);
  });

  it('cancels racing checkouts of the same product keep stock = sold by uncancelled orders', async () => {
    const p = await createProduct(database.db, { stock: 12 });
    const buyers = await Promise.all(Array.from({ length: 12 }, () => createUser(database.db)));
    const first = [];
    for (const b of buyers.slice(0, 6)) first.push(await placeOrder(b, [[p, 2]]));
    expect(await stockOf(p)).toBe(0);
    for (const b of buyers.slice(6))
      expect((await call('POST', '/api/cart/items', b, { productId: p, quantity: 1 })).status).toBe(409);
    // While three orders are cancelled, six shoppers try to buy what comes back.
    await Promise.all(
      buyers
        .slice(6)
        .map(async (b) => {
          for (let i = 0; i < 20; i++) {
            if ((await call('POST', '/api/cart/items', b, { productId: p, quantity: 1 })).status === 200)
              return;
            await new Promise((r) => setTimeout(r, 5));
          }
        })
        .concat(first.slice(0, 3).map(async (o) => void (await adminCancel(o.id)))),
    );
    const checkouts = await Promise.all(
      buyers.slice(6).map((b) => call('POST', '/api/cart/checkout', b, { shippingAddress: 'Race Road' })),
    );
    expect(checkouts.filter((r) => r.status >= 500)).toEqual([]);
    await expectStockInvariant(new Map([[p, 12]]));
  });

  it('the console filters by payment and fulfilment status and finds an order by its number', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 20 });
    const a = await placeOrder(user, [[p, 1]]);
    const b = await placeOrder(user, [[p, 1]]);
    const c = await placeOrder(user, [[p, 1]]);
    await adminAction(b.id, 'mark-paid');
    await ship(b.id);
    await adminCancel(c.id);
    await call('POST', '/api/cart/items', user, { productId: p, quantity: 1 });
    const list = async (query: string) => {
      const res = await call('GET', `/api/admin/orders?q=${user.username}&pageSize=100&${query}`, admin);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items.map((o: { id: number }) => o.id).sort((x: number, y: number) => x - y);
    };
    expect(await list('paymentStatus=awaiting')).toEqual([a.id, c.id]);
    expect(await list('paymentStatus=paid')).toEqual([b.id]);
    expect(await list('fulfillmentStatus=shipped')).toEqual([b.id]);
    expect(await list('fulfillmentStatus=cancelled')).toEqual([c.id]);
    expect(await list('paymentStatus=awaiting&fulfillmentStatus=unfulfilled')).toEqual([a.id]);
    expect((await call('GET', '/api/admin/orders?paymentStatus=owed', admin)).status).toBe(422);
    const byNumber = await call('GET', `/api/admin/orders?q=${b.number.toLowerCase()}`, admin);
    expect(byNumber.body.items).toMatchObject([
      {
        id: b.id,
        number: b.number,
        paymentStatus: 'paid',
        fulfillmentStatus: 'shipped',
        paymentProvider: 'manual',
      },
    ]);
  });

  it('order numbers are unique, unrelated from one order to the next, and stable', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 20 });
    const placed = [];
    for (let i = 0; i < 5; i++) placed.push(await placeOrder(user, [[p, 1]]));
    const numbers = placed.map((o) => o.number);
    expect(new Set(numbers).size).toBe(5);
    // Consecutive ids, yet no two numbers share their first three characters in order.
    const prefixes = numbers.map((n) => n.slice(0, 3));
    expect(new Set(prefixes).size).toBeGreaterThan(3);
    const again = (await call('GET', '/api/orders', user)).body.filter(
      (o: { status: string }) => o.status === 'CLOSED',
    );
    expect(again.map((o: { number: string }) => o.number).sort()).toEqual([...numbers].sort());
  });

  it('deleting the account keeps its closed orders for the books, with nothing that identifies the person', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 10, priceCents: 700 });
    const kept = await placeOrder(user, [[p, 2]]);
    const cancelled = await placeOrder(user, [[p, 1]]);
    await adminCancel(cancelled.id);
    await call('POST', '/api/cart/items', user, { productId: p, quantity: 3 });
    expect((await call('DELETE', '/api/me', user, { password: user.password })).status).toBe(204);

    const rows = await database.db
      .selectFrom('orders')
      .select(['id', 'user_id', 'status', 'shipping_address', 'total_cents', 'idempotency_key'])
      .where('id', 'in', [kept.id, cancelled.id])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => ({ ...r, id: Number(r.id), total_cents: Number(r.total_cents) }))).toEqual([
      {
        id: kept.id,
        user_id: null,
        status: 'CLOSED',
        shipping_address: null,
        total_cents: 1400,
        idempotency_key: null,
      },
      {
        id: cancelled.id,
        user_id: null,
        status: 'CLOSED',
        shipping_address: null,
        total_cents: 700,
        idempotency_key: null,
      },
    ]);
    // The cart went with the person; the mails to them too.
    expect(
      await database.db
        .selectFrom('orders')
        .select('id')
        .where('status', '=', 'TEMP')
        .where('user_id', 'is', null)
        .execute(),
    ).toEqual([]);
    expect(
      await database.db
        .selectFrom('mail_outbox')
        .select('id')
        .where('order_id', 'in', [kept.id, cancelled.id])
        .execute(),
    ).toEqual([]);
    const text = JSON.stringify(
      await database.db.selectFrom('orders').selectAll().where('id', 'in', [kept.id, cancelled.id]).execute(),
    );
    const timeline = JSON.stringify(
      await database.db
        .selectFrom('order_timeline')
        .selectAll()
        .where('order_id', 'in', [kept.id, cancelled.id])
        .execute(),
    );
    for (const trace of [user.username, `${user.username}@example.com`, 'Elm Street']) {
      expect(text).not.toContain(trace);
      expect(timeline).not.toContain(trace);
    }

    const listed = await call('GET', `/api/admin/orders?fulfillmentStatus=unfulfilled&pageSize=100`, admin);
    expect(listed.body.items.find((o: { id: number }) => o.id === kept.id)).toMatchObject({
      userId: null,
      username: null,
      number: kept.number,
      totalCents: 1400,
    });
    const one = await call('GET', `/api/admin/orders/${kept.id}`, admin);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      userId: null,
      username: null,
      shippingAddress: null,
      lines: [{ quantity: 2 }],
    });
    // The shop can still act on it (no mail goes out: there is nobody to write to).
    expect((await ship(kept.id)).status).toBe(200);
    expect(await stockOf(p)).toBe(8);
  });
});
