import type { Config } from '../../../config.ts';
import type { Db } from '../../../db/database.ts';
import { forUpdate, inTransaction } from '../../../db/dialect.ts';
import type { EventType } from '../../../db/schema.ts';
import { EVENT_KINDS } from '../features.ts';
import { trainAndStore } from '../training.ts';
import { type SimulatedCustomer, type SimulationParams, simulateCustomers } from './simulate.ts';

/**
 * Writes a simulated history into the shop's tables: declared-synthetic customers
 * (users.is_synthetic), their closed orders with one line each (orders.is_synthetic) and their
 * behaviour (events.is_synthetic). Orders buy existing catalog products, read with a minimal query
 * (decision 044), so totals are price × quantity close to the simulated spend.
 */

const EVENT_TYPE: Record<(typeof EVENT_KINDS)[number], EventType> = {
  view: 'view',
  search: 'search',
  favorite: 'favorite_add',
  cart_add: 'cart_add',
  chat: 'chat',
  checkout: 'checkout',
};

/** Synthetic customers cannot sign in: this is not a valid password hash. */
const NO_LOGIN = '!synthetic-no-login';
const CHUNK = 250;
const ROWS_PER_INSERT = 500;

export interface SimulateOptions {
  customers: number;
  days: number;
  seed: number;
  end?: number;
  /** The generative process; DEFAULT_SIMULATION when omitted. */
  params?: SimulationParams;
  onProgress?: (done: number, total: number) => void;
}

export async function simulateIntoDb(db: Db, options: SimulateOptions) {
  const products = await db
    .selectFrom('products')
    .select(['id', 'price_cents'])
    .where('archived', '=', 0)
    .where('price_cents', '>', 0)
    .orderBy('id')
    .execute();
  if (products.length === 0) {
    throw new Error('Simulating orders needs products in the catalog: run `npm run cartwise -- seed` first.');
  }
  const end = options.end ?? Date.now();
  const tag = `${options.seed.toString(36)}${(end % 1_679_616).toString(36)}`.slice(0, 10);
  const generator = simulateCustomers({
    customers: options.customers,
    days: options.days,
    seed: options.seed,
    end,
    params: options.params,
  });
  const totals = { customers: 0, orders: 0, events: 0 };
  let pick = options.seed >>> 0;
  const nextProduct = () => {
    pick = (Math.imul(pick, 1_103_515_245) + 12_345) >>> 0;
    return products[pick % products.length];
  };
  for (;;) {
    const chunk: SimulatedCustomer[] = [];
    for (let i = 0; i < CHUNK; i++) {
      const next = generator.next();
      if (next.done) break;
      chunk.push(next.value);
    }
    if (chunk.length === 0) break;
    await inTransaction(db, async (trx) => {
      const maxId = async (table: 'users' | 'orders') =>
        Number(
          (
            await forUpdate(
              trx,
              trx.selectFrom(table).select((eb) => eb.fn.max('id').as('m')),
            ).executeTakeFirst()
          )?.m ?? 0,
        );
      let userId = await maxId('users');
      let orderId = await maxId('orders');
      const users = [];
      const orders = [];
      const lines = [];
      const events = [];
      for (const c of chunk) {
        userId++;
        const username = `sim-${tag}-${c.index}`;
        users.push({
          id: userId,
          username,
          email: `${username}@example.invalid`,
          password_hash: NO_LOGIN,
          first_name: 'Synthetic',
          last_name: `Customer ${c.index}`,
          phone: '+1 555 0100',
          country: 'US',
          city: 'Simulated',
          role: 'customer' as const,
          is_synthetic: 1,
          created_at: Math.round(c.joinedAt - 3_600_000),
        });
        const orderIdAt = new Map<number, number>();
        for (const [at, dollars] of c.orders) {
          orderId++;
          const product = nextProduct();
          const quantity = Math.max(1, Math.round((dollars * 100) / product.price_cents));
          orders.push({
            id: orderId,
            user_id: userId,
            status: 'CLOSED' as const,
            created_at: at - 600_000,
            closed_at: at,
            shipping_address: 'Synthetic customer, not shipped',
            total_cents: quantity * product.price_cents,
            idempotency_key: null,
            is_synthetic: 1,
          });
          lines.push({
            order_id: orderId,
            product_id: product.id,
            quantity,
            unit_price_cents: product.price_cents,
          });
          orderIdAt.set(at, orderId);
        }
        for (const [at, kind] of c.events) {
          const type = EVENT_TYPE[EVENT_KINDS[kind]];
          const withProduct = type === 'view' || type === 'cart_add' || type === 'favorite_add';
          events.push({
            user_id: userId,
            guest_id: null,
            type,
            product_id: withProduct ? nextProduct().id : null,
            payload: type === 'checkout' ? JSON.stringify({ orderId: orderIdAt.get(at) ?? null }) : null,
            is_synthetic: 1,
            created_at: at,
          });
        }
      }
      for (let i = 0; i < users.length; i += ROWS_PER_INSERT) {
        await trx
          .insertInto('users')
          .values(users.slice(i, i + ROWS_PER_INSERT))
          .execute();
      }
      for (let i = 0; i < orders.length; i += ROWS_PER_INSERT) {
        await trx
          .insertInto('orders')
          .values(orders.slice(i, i + ROWS_PER_INSERT))
          .execute();
        await trx
          .insertInto('order_lines')
          .values(lines.slice(i, i + ROWS_PER_INSERT))
          .execute();
      }
      for (let i = 0; i < events.length; i += ROWS_PER_INSERT * 2) {
        await trx
          .insertInto('events')
          .values(events.slice(i, i + ROWS_PER_INSERT * 2))
          .execute();
      }
      totals.orders += orders.length;
      totals.events += events.length;
    });
    totals.customers += chunk.length;
    options.onProgress?.(totals.customers, options.customers);
  }
  return totals;
}

/**
 * First start with demo data: a modest synthetic history (300 customers over two years) and one
 * training run, so the admin console shows predictions at once. Does nothing when DEMO_DATA is
 * off, when a synthetic history exists, or when there is no catalog yet.
 */
export async function bootstrapDemoHistory(
  db: Db,
  config: Config,
  log: (message: string) => void = console.log,
): Promise<boolean> {
  if (!config.DEMO_DATA) return false;
  const existing = await db
    .selectFrom('orders')
    .select('id')
    .where('is_synthetic', '=', 1)
    .limit(1)
    .executeTakeFirst();
  if (existing) return false;
  const hasProducts = await db.selectFrom('products').select('id').limit(1).executeTakeFirst();
  if (!hasProducts) return false;
  const started = Date.now();
  const totals = await simulateIntoDb(db, { customers: 300, days: 730, seed: 2026 });
  log(
    `Simulated a declared-synthetic history: ${totals.customers} customers, ${totals.orders} orders, ${totals.events} events over 2 years.`,
  );
  try {
    const { outcome } = await trainAndStore({ db, config }, { now: Date.now() });
    const auc = (outcome.result.churn.metrics as { rocAuc: number | null }).rocAuc;
    log(
      `Trained the churn and spend models in ${((Date.now() - started) / 1000).toFixed(1)} s (holdout ROC-AUC ${auc?.toFixed(3) ?? 'n/a'}).`,
    );
  } catch (error) {
    log(`Could not train on the demo history: ${(error as Error).message}`);
  }
  return true;
}
