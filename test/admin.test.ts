import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, createTestApp, createUser, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

type User = Awaited<ReturnType<typeof createUser>>;

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describeEachDialect('admin API', (dialect) => {
  let t: TestApp;
  let admin: User;
  let alice: User;
  let bob: User;
  let lamp: number;
  let mug: number;
  const now = Date.now();

  const get = (url: string, user: User | null = admin) =>
    t.app.inject({ method: 'GET', url, headers: user?.headers ?? {} });

  /** Buys through the real cart and checkout, then moves the order back in time. */
  async function buy(user: User, productId: number, quantity: number, daysAgo: number) {
    const add = await t.app.inject({
      method: 'POST',
      url: '/api/cart/items',
      headers: user.headers,
      payload: { productId, quantity },
    });
    expect(add.statusCode, add.body).toBe(200);
    const checkout = await t.app.inject({
      method: 'POST',
      url: '/api/cart/checkout',
      headers: user.headers,
      payload: { shippingAddress: '1 Main St' },
    });
    expect(checkout.statusCode, checkout.body).toBe(201);
    const id = checkout.json().id as number;
    const at = now - daysAgo * DAY;
    await t.db
      .updateTable('orders')
      .set({ created_at: at - 60_000, closed_at: at })
      .where('id', '=', id)
      .execute();
    return id;
  }

  let aliceOld: number;
  let aliceNew: number;
  let bobOrder: number;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await createUser(t.db, { role: 'admin' });
    alice = await createUser(t.db, { username: `alice_${dialect}` });
    bob = await createUser(t.db, { username: `bob_${dialect}` });
    lamp = await createProduct(t.db, { name: 'Admin Lamp', priceCents: 1500, stock: 50 });
    mug = await createProduct(t.db, { name: 'Admin Mug', priceCents: 700, stock: 3 });
    aliceOld = await buy(alice, lamp, 2, 40); // outside the overview's 30 days
    aliceNew = await buy(alice, mug, 1, 2);
    bobOrder = await buy(bob, lamp, 1, 0);
    // Bob's open cart: counted as TEMP at today's price.
    await t.app.inject({
      method: 'POST',
      url: '/api/cart/items',
      headers: bob.headers,
      payload: { productId: lamp, quantity: 3 },
    });
    await t.db
      .updateTable('users')
      .set({ is_synthetic: 1 } as never)
      .where('id', '=', bob.id)
      .execute();
  });
  afterAll(() => t.close());

  describe('access', () => {
    const paths = [
      '/api/admin/overview',
      '/api/admin/orders',
      '/api/admin/orders/1',
      '/api/admin/customers/1',
    ];
    it('answers 401 to guests and 403 forbidden to customers, even with bad input', async () => {
      for (const path of [...paths, '/api/admin/orders?status=NOPE', '/api/admin/customers/abc']) {
        const guest = await get(path, null);
        expect(guest.statusCode, path).toBe(401);
        const customer = await get(path, alice);
        expect(customer.statusCode, path).toBe(403);
        expect(customer.json().code).toBe('forbidden');
      }
    });
  });

  it('lists every customer’s orders newest first with usernames, totals and units', async () => {
    const res = await get('/api/admin/orders?pageSize=100');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.total).toBe(4);
    const ids = body.items.map((o: { id: number }) => o.id);
    expect(ids.slice(-2)).toEqual([aliceNew, aliceOld]);
    const old = body.items.find((o: { id: number }) => o.id === aliceOld);
    expect(old).toMatchObject({
      userId: alice.id,
      username: alice.username,
      status: 'CLOSED',
      totalCents: 3000,
      itemCount: 2,
      isSynthetic: false,
    });
    const cart = body.items.find((o: { status: string }) => o.status === 'TEMP');
    expect(cart).toMatchObject({
      userId: bob.id,
      totalCents: 4500,
      itemCount: 3,
      closedAt: null,
      isSynthetic: true,
    });
  });

  it('filters by status, date range and username, and pages', async () => {
    const closed = (await get('/api/admin/orders?status=CLOSED')).json();
    expect(closed.items.map((o: { id: number }) => o.id).sort()).toEqual(
      [aliceOld, aliceNew, bobOrder].sort(),
    );

    const lastWeek = (
      await get(`/api/admin/orders?status=CLOSED&from=${dayOf(now - 7 * DAY)}&to=${dayOf(now)}`)
    ).json();
    expect(lastWeek.items.map((o: { id: number }) => o.id).sort()).toEqual([aliceNew, bobOrder].sort());

    const onlyOld = (await get(`/api/admin/orders?to=${dayOf(now - 30 * DAY)}`)).json();
    expect(onlyOld.items.map((o: { id: number }) => o.id)).toEqual([aliceOld]);

    const byName = (await get(`/api/admin/orders?q=${encodeURIComponent(`ALICE_${dialect}`)}`)).json();
    expect(byName.total).toBe(2);
    // LIKE wildcards are literal.
    expect((await get('/api/admin/orders?q=%25')).json().total).toBe(0);

    const page2 = (await get('/api/admin/orders?pageSize=3&page=2')).json();
    expect(page2).toMatchObject({ page: 2, pageSize: 3, total: 4 });
    expect(page2.items).toHaveLength(1);
  });

  it('rejects bad filters with 422 validation_failed', async () => {
    for (const query of [
      'status=OPEN',
      'from=2024-13-01',
      'from=yesterday',
      'page=0',
      'pageSize=101',
      'from=2025-02-10&to=2025-02-01',
    ]) {
      const res = await get(`/api/admin/orders?${query}`);
      expect(res.statusCode, query).toBe(422);
      expect(res.json().code).toBe('validation_failed');
    }
  });

  it('shows any order with its lines and owner; unknown ids are 404', async () => {
    const res = await get(`/api/admin/orders/${aliceOld}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: aliceOld,
      userId: alice.id,
      username: alice.username,
      status: 'CLOSED',
      totalCents: 3000,
      lines: [{ productId: lamp, name: 'Admin Lamp', quantity: 2, unitPriceCents: 1500 }],
    });
    expect((await get('/api/admin/orders/999999')).statusCode).toBe(404);
    expect((await get('/api/admin/orders/0')).statusCode).toBe(422);
  });

  it('shows a customer with orders, recent behaviour, the synthetic flag and a prediction', async () => {
    await t.app.inject({ method: 'GET', url: `/api/products/${mug}`, headers: bob.headers });
    const res = await get(`/api/admin/customers/${bob.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ id: bob.id, username: bob.username, role: 'customer' });
    expect(body.isSynthetic).toBe(true);
    expect(body.orders.map((o: { status: string }) => o.status)).toEqual(['TEMP', 'CLOSED']);
    expect(body.recentEvents[0]).toMatchObject({ type: 'view', productId: mug, productName: 'Admin Mug' });
    expect(body.recentEvents.some((e: { type: string }) => e.type === 'checkout')).toBe(true);
    // Without a trained model the ML module says so instead of inventing numbers.
    expect(body.prediction).toMatchObject({
      userId: bob.id,
      status: 'insufficient_data',
      churnProbability: null,
    });

    const self = (await get(`/api/admin/customers/${admin.id}`)).json();
    expect(self.prediction).toBeNull();
    expect((await get('/api/admin/customers/999999')).statusCode).toBe(404);
  });

  it('summarises the last 30 days, low stock, counts and customers at high churn risk', async () => {
    await t.db
      .insertInto('ml_predictions')
      .values(
        [
          { user: alice.id, p: 0.82 },
          { user: bob.id, p: 0.2 },
        ].map(({ user, p }) => ({
          user_id: user,
          status: 'ok' as const,
          reason: null,
          churn_probability: p,
          expected_orders: 1.5,
          predicted_spend_cents: 2000,
          expected_next_order_at: now + 20 * DAY,
          horizon_days: 90,
          churn_model_id: null,
          spend_model_id: null,
          features: '{}',
          explanation: null,
          computed_at: now,
        })),
      )
      .execute();
    const res = await get('/api/admin/overview');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.days).toHaveLength(30);
    expect(body.days.at(-1).date).toBe(dayOf(now));
    expect(body.days.at(-1)).toMatchObject({ orders: 1, revenueCents: 1500 });
    expect(body.days.find((d: { date: string }) => d.date === dayOf(now - 2 * DAY))).toMatchObject({
      orders: 1,
      revenueCents: 700,
    });
    expect(body.orders).toBe(2);
    expect(body.revenueCents).toBe(2200);
    expect(body.averageOrderValueCents).toBe(1100);
    expect(body.counts).toEqual({
      customers: 2,
      syntheticCustomers: 1,
      liveProducts: 2,
      archivedProducts: 0,
      closedOrders: 3,
      openCarts: 1,
    });
    // Mug: 3 − 1 sold = 2 left, under the threshold; the lamp has plenty.
    expect(body.lowStock.map((p: { id: number; stock: number }) => [p.id, p.stock])).toEqual([[mug, 2]]);
    expect(body.atRisk.map((c: { userId: number }) => c.userId)).toEqual([alice.id]);
  });
});
