import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BehaviourLog } from '../src/server/modules/events/service.ts';
import { createProduct, createTestApp, createUser, type TestApp } from './support/app.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';

describeEachDialect('behaviour events written in batches', (dialect) => {
  let t: TestDatabase;
  const warnings: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(() => t.drop());

  const events = (userId: number) =>
    t.db
      .selectFrom('events')
      .select(['type', 'product_id', 'payload'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();

  it('writes after the delay, in the order recorded, without holding up the caller', async () => {
    const { id } = await createUser(t.db);
    const behaviour = new BehaviourLog(t.db, log, { flushAfterMs: 150 });
    const actor = { userId: id, guestId: null };
    await behaviour.record(actor, 'search', { payload: { terms: ['mug'] } });
    await behaviour.record(actor, 'view', { productId: 7 });
    expect(await events(id)).toEqual([]);
    await sleep(400);
    expect(await events(id)).toEqual([
      { type: 'search', product_id: null, payload: '{"terms":["mug"]}' },
      { type: 'view', product_id: 7, payload: null },
    ]);
  });

  it('writes at once when a batch is full, and on flush', async () => {
    const { id } = await createUser(t.db);
    const behaviour = new BehaviourLog(t.db, log, { flushAfterMs: 60_000 });
    const actor = { userId: id, guestId: null };
    for (let i = 0; i < 499; i++) void behaviour.record(actor, 'view', { productId: i });
    expect(await events(id)).toHaveLength(0);
    await behaviour.record(actor, 'view', { productId: 499 });
    expect((await events(id)).map((e) => e.product_id)).toEqual([...Array(500).keys()]);
    void behaviour.record(actor, 'search');
    await behaviour.flush();
    expect(await events(id)).toHaveLength(501);
  });

  it("keeps the rest of a batch when one event's user was deleted meanwhile", async () => {
    const kept = await createUser(t.db);
    const deleted = await createUser(t.db);
    const behaviour = new BehaviourLog(t.db, log, { flushAfterMs: 60_000 });
    void behaviour.record({ userId: kept.id, guestId: null }, 'view', { productId: 1 });
    void behaviour.record({ userId: deleted.id, guestId: null }, 'view', { productId: 2 });
    void behaviour.record({ userId: null, guestId: 'guest-1' }, 'search');
    await t.db.deleteFrom('sessions').where('user_id', '=', deleted.id).execute();
    await t.db.deleteFrom('users').where('id', '=', deleted.id).execute();
    await expect(behaviour.flush()).resolves.toBeUndefined();
    expect(await events(kept.id)).toEqual([{ type: 'view', product_id: 1, payload: null }]);
    expect(await events(deleted.id)).toEqual([]);
    const guest = await t.db.selectFrom('events').select('type').where('guest_id', '=', 'guest-1').execute();
    expect(guest).toEqual([{ type: 'search' }]);
    expect(warnings.some((w) => w.includes('behaviour event not recorded'))).toBe(true);
  });
});

describeEachDialect('behaviour events when the app stops', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(dialect, { EVENTS_FLUSH_MS: '10000' });
  });

  it('are written before the app has closed', async () => {
    const shopper = await createUser(t.db);
    const product = await createProduct(t.db);
    const viewed = await t.app.inject({ url: `/api/products/${product}`, headers: shopper.headers });
    expect(viewed.statusCode).toBe(200);
    const views = () =>
      t.db.selectFrom('events').select('product_id').where('user_id', '=', shopper.id).execute();
    expect(await views()).toEqual([]);
    await t.app.close();
    expect(await views()).toEqual([{ product_id: product }]);
    await t.drop();
  });
});
