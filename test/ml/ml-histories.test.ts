import { afterAll, beforeAll, expect, it } from 'vitest';
import { countClosedOrders } from '../../src/server/modules/ml/queries/counts.ts';
import { loadHistories } from '../../src/server/modules/ml/queries/histories.ts';
import { createTestApp, createUser, type TestApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';

describeEachDialect('ML histories', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  it('count a cancelled order as no purchase (decision 156)', async () => {
    const user = await createUser(t.db);
    const closedAt = Date.now() - 86_400_000;
    const order = (totalCents: number, cancelled: boolean) => ({
      user_id: user.id,
      status: 'CLOSED' as const,
      created_at: closedAt,
      closed_at: closedAt,
      shipping_address: '1 Test Street',
      total_cents: totalCents,
      fulfillment_status: cancelled ? ('cancelled' as const) : ('delivered' as const),
    });
    const before = await countClosedOrders(t.db, null);
    await t.db
      .insertInto('orders')
      .values([order(2500, false), order(9900, true)])
      .execute();

    const [history] = await loadHistories(t.db, { userIds: [user.id] });
    expect(history.orders).toEqual([[closedAt, 2500]]);
    expect(await countClosedOrders(t.db, null)).toBe(before + 1);
  });
});
