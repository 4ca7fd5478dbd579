import {
  type AdminCustomer,
  type AdminOrder,
  type AdminOrderSummary,
  type AdminOverview,
  type BehaviourEvent,
  HIGH_CHURN_RISK,
  LOW_STOCK_THRESHOLD,
} from '../../../contract/admin.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../app-error.ts';
import { getUser } from '../accounts/service.ts';
import { listAdminProducts } from '../catalog/service.ts';
import type { FulfillmentStatus, PaymentStatus } from '../../db/schema.ts';
import { getCustomerPrediction, listCustomerPredictions } from '../ml/predictions.ts';
import { getAnyOrder as getAnyOrderOfAnyone, listOrders } from '../orders/history.ts';
import { orderNumbers } from '../orders/order-number.ts';
import {
  countOrders,
  findOrderOwner,
  findUserFlags,
  type OrderFilter,
  selectClosedOrdersSince,
  selectCounts,
  selectOrderLineTotals,
  selectOrderPage,
  selectRecentEvents,
} from './queries.ts';

const DAY_MS = 86_400_000;
const OVERVIEW_DAYS = 30;
const RECENT_EVENTS = 50;

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
const startOfUtcDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

export interface OrderListQuery {
  status?: 'TEMP' | 'CLOSED';
  from?: string;
  to?: string;
  q?: string;
  paymentStatus?: PaymentStatus;
  fulfillmentStatus?: FulfillmentStatus;
  page: number;
  pageSize: number;
}

export async function listAllOrders(db: Db, query: OrderListQuery) {
  const numbers = await orderNumbers(db);
  const filter: OrderFilter = {
    status: query.status,
    paymentStatus: query.paymentStatus,
    fulfillmentStatus: query.fulfillmentStatus,
    orderId: query.q ? (numbers.idOf(query.q) ?? undefined) : undefined,
    from: query.from ? Date.parse(`${query.from}T00:00:00Z`) : undefined,
    // `to` names a whole day: everything before the next midnight.
    to: query.to ? Date.parse(`${query.to}T00:00:00Z`) + DAY_MS : undefined,
    username: query.q || undefined,
  };
  if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) {
    throw new AppError(422, 'validation_failed', 'The date range ends before it starts', {
      errors: [{ field: 'to', in: 'querystring', message: 'Must be on or after "from"' }],
    });
  }
  const total = await countOrders(db, filter);
  const rows = await selectOrderPage(db, filter, query.pageSize, (query.page - 1) * query.pageSize);
  const totals = new Map(
    (
      await selectOrderLineTotals(
        db,
        rows.map((r) => Number(r.id)),
      )
    ).map((t) => [Number(t.orderId), t]),
  );
  const items: AdminOrderSummary[] = rows.map((r) => {
    const lines = totals.get(Number(r.id));
    const closed = r.status === 'CLOSED';
    return {
      id: Number(r.id),
      number: closed ? numbers.numberOf(Number(r.id)) : null,
      userId: r.userId === null ? null : Number(r.userId),
      username: r.username,
      isSynthetic: Number(r.isSynthetic) === 1,
      status: r.status,
      paymentStatus: closed ? r.paymentStatus : null,
      fulfillmentStatus: closed ? r.fulfillmentStatus : null,
      paymentProvider: closed ? r.paymentProvider : null,
      createdAt: iso(r.createdAt) as string,
      closedAt: iso(r.closedAt),
      totalCents: r.status === 'CLOSED' ? Number(r.totalCents ?? 0) : Number(lines?.currentValueCents ?? 0),
      itemCount: Number(lines?.units ?? 0),
    };
  });
  return { items, page: query.page, pageSize: query.pageSize, total };
}

/** Any customer's order, shaped by the orders module exactly as its owner sees it. */
export async function getAnyOrder(db: Db, orderId: number): Promise<AdminOrder> {
  const owner = await findOrderOwner(db, orderId);
  if (!owner) throw notFound('Order');
  const order = await getAnyOrderOfAnyone(db, orderId);
  return {
    ...order,
    userId: owner.userId === null ? null : Number(owner.userId),
    username: owner.username,
    isSynthetic: Number(owner.isSynthetic) === 1,
  };
}

function parsePayload(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function getCustomer(db: Db, config: Config, userId: number): Promise<AdminCustomer> {
  const flags = await findUserFlags(db, userId);
  if (!flags) throw notFound('Customer');
  const user = await getUser(db, userId);
  const orders = await listOrders(db, userId);
  const events: BehaviourEvent[] = (await selectRecentEvents(db, userId, RECENT_EVENTS)).map((e) => ({
    id: Number(e.id),
    type: e.type,
    productId: e.productId === null ? null : Number(e.productId),
    productName: e.productName,
    payload: parsePayload(e.payload),
    createdAt: iso(e.createdAt) as string,
  }));
  // The models score customers only; an admin account has no prediction.
  const prediction = flags.role === 'customer' ? await getCustomerPrediction(db, config, userId) : null;
  return { user, isSynthetic: Number(flags.isSynthetic) === 1, orders, recentEvents: events, prediction };
}

export async function getOverview(db: Db, now = Date.now()): Promise<AdminOverview> {
  const firstDay = startOfUtcDay(now) - (OVERVIEW_DAYS - 1) * DAY_MS;
  const days = Array.from({ length: OVERVIEW_DAYS }, (_, i) => ({
    date: new Date(firstDay + i * DAY_MS).toISOString().slice(0, 10),
    orders: 0,
    revenueCents: 0,
  }));
  for (const o of await selectClosedOrdersSince(db, firstDay)) {
    const day = days[Math.floor((Number(o.closedAt) - firstDay) / DAY_MS)];
    if (!day) continue;
    day.orders += 1;
    day.revenueCents += Number(o.totalCents ?? 0);
  }
  const orders = days.reduce((s, d) => s + d.orders, 0);
  const revenueCents = days.reduce((s, d) => s + d.revenueCents, 0);

  const lowStock = await listAdminProducts(db, {
    stockLt: LOW_STOCK_THRESHOLD + 1,
    sort: 'stock',
    page: 1,
    pageSize: 10,
    // Overrides the admin list's default of "archived too": an archived product needs no restock.
    archived: undefined,
  });
  const risky = await listCustomerPredictions(db, {
    sort: '-churnProbability',
    status: 'ok',
    page: 1,
    pageSize: 10,
  });

  return {
    days,
    revenueCents,
    orders,
    averageOrderValueCents: orders > 0 ? Math.round(revenueCents / orders) : null,
    counts: await selectCounts(db),
    lowStockThreshold: LOW_STOCK_THRESHOLD,
    lowStock: lowStock.items,
    highChurnRiskThreshold: HIGH_CHURN_RISK,
    atRisk: risky.items.filter((c) => (c.churnProbability ?? 0) >= HIGH_CHURN_RISK),
  };
}
