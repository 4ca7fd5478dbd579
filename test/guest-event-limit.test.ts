import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BehaviourLog } from '../src/server/modules/events/service.ts';
import { createProduct, createTestApp, createUser, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

/**
 * Issue 18: a guest's requests that create rows are capped per client address. Views and searches
 * write behaviour events; past GUEST_EVENTS_RATE_LIMIT_PER_MINUTE the page still answers 200 and
 * the events are not recorded (decision 178). Dropping the guest cookie does not reset the cap.
 */
describeEachDialect('guest behaviour events capped per client address', (dialect) => {
  const CAP = 3;
  let t: TestApp;
  let product: number;

  beforeAll(async () => {
    t = await createTestApp(dialect, { GUEST_EVENTS_RATE_LIMIT_PER_MINUTE: String(CAP) });
    product = await createProduct(t.db);
  });
  afterAll(() => t.close());

  const guestEvents = async () =>
    Number(
      (
        await t.db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('guest_id', 'is not', null)
          .executeTakeFirstOrThrow()
      ).n,
    );
  // No cookie: every request is a fresh guest, as for a client that drops it.
  const view = (remoteAddress: string, headers: Record<string, string> = {}) =>
    t.app.inject({ url: `/api/products/${product}`, remoteAddress, headers });

  it('records a guest address up to the cap, then answers as usual and records nothing', async () => {
    const before = await guestEvents();
    const statuses: number[] = [];
    for (let i = 0; i < CAP + 2; i++) statuses.push((await view('10.18.0.1')).statusCode);
    expect(statuses).toEqual(Array(CAP + 2).fill(200));
    expect(await guestEvents()).toBe(before + CAP);

    // Searches are events too, and take from the same allowance.
    const search = await t.app.inject({ url: '/api/search?q=mug', remoteAddress: '10.18.0.1' });
    expect(search.statusCode).toBe(200);
    const list = await t.app.inject({ url: '/api/products?q=mug', remoteAddress: '10.18.0.1' });
    expect(list.statusCode).toBe(200);
    expect(await guestEvents()).toBe(before + CAP);
  });

  it('leaves other addresses and signed-in users on the capped address alone', async () => {
    for (let i = 0; i < CAP + 1; i++) await view('10.18.0.2');
    const before = await guestEvents();
    expect((await view('10.18.0.3')).statusCode).toBe(200);
    // Under the cap a search is recorded (so the first test's unrecorded searches mean the cap).
    await t.app.inject({ url: '/api/search?q=mug', remoteAddress: '10.18.0.3' });
    expect(await guestEvents()).toBe(before + 2);

    const shopper = await createUser(t.db);
    for (let i = 0; i < CAP + 1; i++) {
      expect((await view('10.18.0.2', shopper.headers)).statusCode).toBe(200);
    }
    const own = await t.db.selectFrom('events').select('type').where('user_id', '=', shopper.id).execute();
    expect(own).toHaveLength(CAP + 1);
    expect(await guestEvents()).toBe(before + 2);
  });

  it('caps within one batch too, keeping the first events of each address', async () => {
    const shopper = await createUser(t.db);
    const behaviour = new BehaviourLog(t.db, pino({ level: 'silent' }), {
      flushAfterMs: 60_000,
      guestPerMinute: CAP,
    });
    for (let i = 0; i < CAP + 2; i++) {
      void behaviour.record({ userId: null, guestId: `g-a-${i}`, address: '10.18.1.1' }, 'view', {
        productId: i,
      });
    }
    void behaviour.record({ userId: null, guestId: 'g-b', address: '10.18.1.2' }, 'search');
    void behaviour.record({ userId: shopper.id, guestId: null, address: '10.18.1.1' }, 'search');
    await behaviour.flush();
    const kept = await t.db
      .selectFrom('events')
      .select(['guest_id', 'product_id'])
      .where('guest_id', 'like', 'g-%')
      .orderBy('id')
      .execute();
    expect(kept).toEqual([
      { guest_id: 'g-a-0', product_id: 0 },
      { guest_id: 'g-a-1', product_id: 1 },
      { guest_id: 'g-a-2', product_id: 2 },
      { guest_id: 'g-b', product_id: null },
    ]);
    const own = await t.db.selectFrom('events').select('type').where('user_id', '=', shopper.id).execute();
    expect(own).toEqual([{ type: 'search' }]);
  });
});
