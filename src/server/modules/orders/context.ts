import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { EventType } from '../../db/schema.ts';
import type { DomainEventBus } from '../../domain-events.ts';
import { recordEvent } from '../events/service.ts';

/** What the order services need: the database, the domain event bus and the request's logger. */
export interface OrdersContext {
  db: Db;
  events: DomainEventBus;
  log: FastifyBaseLogger;
}

/** Records a behaviour event after the commit; a lost analytics event never fails the purchase. */
export async function recordUserEvent(
  ctx: OrdersContext,
  userId: number,
  type: EventType,
  details: { productId?: number; payload?: Record<string, unknown> },
): Promise<void> {
  try {
    await recordEvent(ctx.db, { userId, guestId: null }, type, details);
  } catch (error) {
    ctx.log.warn({ err: error, type }, 'behaviour event not recorded');
  }
}
