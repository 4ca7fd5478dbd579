import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { createProduct, createUser, testConfig } from './support/app.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';
import {
  FAKE_SECRET_KEY,
  FAKE_WEBHOOK_SECRET,
  type FakeStripe,
  startFakeStripe,
} from './support/fake-stripe.ts';
import { orderClient, type User } from './support/order-client.ts';

/**
 * Payment through Stripe Checkout: the real `stripe` SDK against a fake Stripe API on 127.0.0.1,
 * webhooks signed with the SDK's own test helper. Signature, replay, ordering, expiry, refunds.
 */

describeEachDialect('Stripe payments', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let base: string;
  let stripe: FakeStripe;
  let admin: User;

  beforeAll(async () => {
    stripe = await startFakeStripe();
    database = await createTestDatabase(dialect, { poolSize: 20 });
    const config = testConfig({
      DATABASE_URL: database.url,
      STRIPE_SECRET_KEY: FAKE_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: FAKE_WEBHOOK_SECRET,
      STRIPE_API_URL: stripe.url,
    });
    app = await buildApp({ config, db: database.db });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    stripe.webhookUrl = `${base}/api/payments/stripe/webhook`;
    admin = await createUser(database.db, { role: 'admin' });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    await stripe.close();
  });

  const client = orderClient(
    () => base,
    () => database.db,
  );
  const { call, stockOf } = client;
  const orderOf = async (user: User, id: number) => (await call('GET', `/api/orders/${id}`, user)).body;
  const mailsOf = (orderId: number) =>
    database.db
      .selectFrom('mail_outbox')
      .select(['kind', 'to_address'])
      .where('order_id', '=', orderId)
      .execute();
  const sessionOf = (order: { payment: { checkoutUrl: string } }) => {
    const id = order.payment.checkoutUrl.split('/').at(-1) as string;
    const session = stripe.sessions.get(id);
    if (!session) throw new Error(`no fake session for ${order.payment.checkoutUrl}`);
    return session;
  };

  const placeOrder = (user: User, items: [number, number][]) => client.placeOrder(user, items, '1 Card Lane');

  it('checkout opens a Checkout Session for the order’s lines and answers its URL', async () => {
    const user = await createUser(database.db);
    const a = await createProduct(database.db, { name: `Kettle ${Date.now()}`, priceCents: 2599, stock: 5 });
    const b = await createProduct(database.db, { priceCents: 450, stock: 5 });
    const order = await placeOrder(user, [
      [a, 2],
      [b, 1],
    ]);
    expect(order).toMatchObject({
      paymentStatus: 'awaiting',
      fulfillmentStatus: 'unfulfilled',
      totalCents: 5648,
    });
    expect(order.payment.provider).toBe('stripe');
    expect(order.payment.checkoutUrl).toMatch(new RegExp(`^${stripe.url}/pay/cs_test_`));
    const session = sessionOf(order);
    expect(session.line_items).toEqual([
      { quantity: 2, name: order.lines[0].name, unit_amount: 2599 },
      { quantity: 1, name: order.lines[1].name, unit_amount: 450 },
    ]);
    expect(session.amount_total).toBe(5648);
    expect(session.client_reference_id).toBe(String(order.id));
    expect(session.metadata).toEqual({ orderNumber: order.number });
    expect(session.success_url).toBe(`${base}/orders?order=${order.number}&payment=success`);
    expect(session.expires_at * 1000 - Date.now()).toBeGreaterThan(59 * 60_000);
    // Confirmation is mailed once the card is paid, not before.
    expect(await mailsOf(order.id)).toEqual([]);
  });

  it('a bad, missing or foreign signature is 400 and changes nothing', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 5 });
    const order = await placeOrder(user, [[p, 1]]);
    const event = stripe.complete(sessionOf(order).id);
    for (const options of [
      { signature: 't=1,v1=deadbeef' },
      { secret: 'whsec_someone_else' },
      { signature: '' },
    ]) {
      const res = await stripe.deliver(event, options);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_signature');
    }
    // The body is verified byte for byte: the same signature over a changed body is refused.
    const payload = JSON.stringify(event);
    const { default: Stripe } = await import('stripe');
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: FAKE_WEBHOOK_SECRET });
    const tampered = await fetch(stripe.webhookUrl as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: payload.replace('"paid"', '"paid" '),
    });
    expect(tampered.status).toBe(400);
    expect((await orderOf(user, order.id)).paymentStatus).toBe('awaiting');
    const recorded = await database.db
      .selectFrom('payment_events')
      .select('event_id')
      .where('event_id', '=', event.id)
      .execute();
    expect(recorded).toEqual([]);
  });

  it('checkout.session.completed marks it paid and mails the confirmation; a replay changes nothing', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 5 });
    const order = await placeOrder(user, [[p, 2]]);
    const event = stripe.complete(sessionOf(order).id);
    const first = await stripe.deliver(event);
    expect(first).toMatchObject({ status: 200, body: { received: true, outcome: 'paid' } });
    const replies = await Promise.all(Array.from({ length: 5 }, () => stripe.deliver(event)));
    expect(replies.map((r) => r.body.outcome)).toEqual(Array(5).fill('duplicate'));
    const paid = await orderOf(user, order.id);
    expect(paid).toMatchObject({ paymentStatus: 'paid', fulfillmentStatus: 'unfulfilled' });
    expect(paid.payment.checkoutUrl).toBeUndefined();
    expect(paid.timeline.map((e: { type: string; by: string }) => [e.type, e.by])).toEqual([
      ['placed', 'customer'],
      ['paid', 'stripe'],
    ]);
    expect(await mailsOf(order.id)).toEqual([
      { kind: 'order_confirmation', to_address: `${user.username}@example.com` },
    ]);
    // Another event for the same session (a new id) is still only one payment.
    const again = await stripe.deliver(stripe.event('checkout.session.completed', sessionOf(order)));
    expect(again.body.outcome).toBe('already_paid');
    expect(await mailsOf(order.id)).toHaveLength(1);
    // A card order ships only once paid — this one is.
    expect(
      (
        await call('POST', `/api/admin/orders/${order.id}/ship`, admin, {
          carrier: 'DHL',
          trackingNumber: 'JD01',
        })
      ).status,
    ).toBe(200);
  });

  it('a card order cannot be marked paid by hand nor shipped unpaid', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 5 });
    const order = await placeOrder(user, [[p, 1]]);
    for (const [action, body] of [
      ['mark-paid', undefined],
      ['ship', { carrier: 'DHL', trackingNumber: 'X1' }],
    ] as const) {
      const res = await call('POST', `/api/admin/orders/${order.id}/${action}`, admin, body);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('invalid_transition');
    }
  });

  it('checkout.session.expired cancels and restocks once; "expired" after "paid" is ignored', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 6 });
    const unpaid = await placeOrder(user, [[p, 2]]);
    const paid = await placeOrder(user, [[p, 3]]);
    expect(await stockOf(p)).toBe(1);
    await stripe.deliver(stripe.complete(sessionOf(paid).id));

    const expired = stripe.expire(sessionOf(unpaid).id);
    expect((await stripe.deliver(expired)).body.outcome).toBe('expired_cancelled');
    expect((await stripe.deliver(expired)).body.outcome).toBe('duplicate');
    const late = stripe.event('checkout.session.expired', sessionOf(paid));
    expect((await stripe.deliver(late)).body.outcome).toBe('expired_ignored');

    expect(await orderOf(user, unpaid.id)).toMatchObject({
      paymentStatus: 'awaiting',
      fulfillmentStatus: 'cancelled',
      cancelReason: 'The payment was not completed in time',
    });
    expect((await orderOf(user, unpaid.id)).timeline.at(-1)).toMatchObject({
      type: 'cancelled',
      by: 'stripe',
    });
    expect(await orderOf(user, paid.id)).toMatchObject({
      paymentStatus: 'paid',
      fulfillmentStatus: 'unfulfilled',
    });
    expect(await stockOf(p)).toBe(3);
    expect(stripe.refunds.filter((r) => r.payment_intent === sessionOf(paid).payment_intent)).toEqual([]);
  });

  it('cancelling a paid card order refunds it through Stripe exactly once, also under racing cancels', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 4, priceCents: 1250 });
    const order = await placeOrder(user, [[p, 2]]);
    await stripe.deliver(stripe.complete(sessionOf(order).id));
    const replies = await Promise.all([
      call('POST', `/api/orders/${order.id}/cancel`, user),
      call('POST', `/api/admin/orders/${order.id}/cancel`, admin, { reason: 'Out of the colour' }),
      call('POST', `/api/orders/${order.id}/cancel`, user),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const done = await orderOf(user, order.id);
    expect(done).toMatchObject({ paymentStatus: 'refunded', fulfillmentStatus: 'cancelled' });
    expect(done.timeline.map((e: { type: string }) => e.type)).toEqual([
      'placed',
      'paid',
      'cancelled',
      'refunded',
    ]);
    const refunds = stripe.refunds.filter((r) => r.payment_intent === sessionOf(order).payment_intent);
    expect(refunds).toEqual([
      expect.objectContaining({ amount: 2500, idempotencyKey: `refund-order-${order.id}` }),
    ]);
    expect(await stockOf(p)).toBe(4);
    expect((await mailsOf(order.id)).map((m) => m.kind)).toEqual(['order_confirmation', 'order_cancelled']);
  });

  it('cancelling an unpaid card order closes its payment page; paying it anyway is refunded', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 4 });
    const order = await placeOrder(user, [[p, 1]]);
    const session = sessionOf(order);
    expect((await call('POST', `/api/orders/${order.id}/cancel`, user)).status).toBe(200);
    await expect.poll(() => session.status).toBe('expired');
    // Out of order: the shopper had paid just before the page closed, and the event comes last.
    Object.assign(session, { status: 'open' });
    const late = await stripe.deliver(stripe.complete(session.id));
    expect(late.body.outcome).toBe('refunded_after_cancel');
    expect(await orderOf(user, order.id)).toMatchObject({
      paymentStatus: 'refunded',
      fulfillmentStatus: 'cancelled',
    });
    expect(stripe.refunds.filter((r) => r.payment_intent === session.payment_intent)).toHaveLength(1);
    expect(await stockOf(p)).toBe(4);
  });

  it('when Stripe is down, checkout is 502 and the cart and stock stay as they were', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 3 });
    await call('POST', '/api/cart/items', user, { productId: p, quantity: 2 });
    stripe.failing = true;
    try {
      const res = await call('POST', '/api/cart/checkout', user, { shippingAddress: '1 Card Lane' });
      expect(res.status).toBe(502);
      expect(res.body.code).toBe('payment_provider_unavailable');
    } finally {
      stripe.failing = false;
    }
    expect(await stockOf(p)).toBe(3);
    expect((await call('GET', '/api/cart', user)).body.order).toMatchObject({
      status: 'TEMP',
      lines: [{ quantity: 2 }],
    });
    expect((await call('POST', '/api/cart/checkout', user, { shippingAddress: '1 Card Lane' })).status).toBe(
      201,
    );
  });

  it('a paid order whose refund fails stays paid and uncancelled (502), and the retry refunds once', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 2 });
    const order = await placeOrder(user, [[p, 1]]);
    await stripe.deliver(stripe.complete(sessionOf(order).id));
    stripe.failing = true;
    try {
      const res = await call('POST', `/api/orders/${order.id}/cancel`, user);
      expect(res.status).toBe(502);
    } finally {
      stripe.failing = false;
    }
    expect(await orderOf(user, order.id)).toMatchObject({
      paymentStatus: 'paid',
      fulfillmentStatus: 'unfulfilled',
    });
    expect(await stockOf(p)).toBe(1);
    expect((await call('POST', `/api/orders/${order.id}/cancel`, user)).status).toBe(200);
    expect(stripe.refunds.filter((r) => r.payment_intent === sessionOf(order).payment_intent)).toHaveLength(
      1,
    );
    expect(await stockOf(p)).toBe(2);
  });

  it('events for other objects or unknown sessions are acknowledged and change nothing', async () => {
    const other = {
      ...stripe.event('customer.created', {} as never),
      data: { object: { id: 'cus_1', object: 'customer' } },
    };
    expect((await stripe.deliver(other)).body.outcome).toBe('ignored');
    const unknown = stripe.event('checkout.session.completed', {
      id: 'cs_test_unknown',
      payment_status: 'paid',
    } as never);
    expect((await stripe.deliver(unknown)).body.outcome).toBe('unknown_session');
  });
});
