import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { EventType } from '../../db/schema.ts';
import type { DomainEventBus } from '../../domain-events.ts';
import type { BehaviourLog } from '../events/service.ts';

/** What the order services need: the database, the event bus and log, and the request's logger. */
export interface OrdersContext {
  db: Db;
  events: DomainEventBus;
  behaviour: BehaviourLog;
  log: FastifyBaseLogger;
}

/** Records a behaviour event of the user after the commit. */
export function recordUserEvent(
  ctx: OrdersContext,
  userId: number,
  type: EventType,
  details: { productId?: number; payload?: Record<string, unknown> },
): Promise<void> {
  return ctx.behaviour.record({ userId, guestId: null }, type, details);
}
