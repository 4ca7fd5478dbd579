import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { anonymizeClosedOrders } from './lifecycle-queries.ts';

/**
 * Before an account is deleted (docs/decisions/133-account-deletion-keeps-anonymous-orders.md):
 * its closed orders stay for the shop's books without the user link, the shipping address, the
 * idempotency key or the tracking number. Lines, totals, states and the timeline stay. The cart
 * (TEMP order) and the outbox's mails go with the user row (ON DELETE CASCADE).
 */
export function detachOrdersFromCustomer(trx: Transaction<Database>, userId: number): Promise<number> {
  return anonymizeClosedOrders(trx, userId);
}
