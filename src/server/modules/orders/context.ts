import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { EventType } from '../../db/schema.ts';
import type { DomainEventBus } from '../../domain-events.ts';
import type { BehaviourLog } from '../events/service.ts';
import type { PaymentProvider } from '../payments/provider.ts';

/** What the cart needs: the database, the event bus and behaviour log, and the request's logger. */
export interface CartContext {
  db: Db;
  events: DomainEventBus;
  behaviour: BehaviourLog;
  log: FastifyBaseLogger;
}

/** Checkout and what follows it also take payments and write mails. */
export interface OrdersContext extends CartContext {
  /** Who takes the money (manual unless Stripe is configured). */
  payments: PaymentProvider;
  /** Told after a commit that wrote mails into the outbox. */
  mail: { nudge(): void };
}

/** Records a behaviour event of the user after the commit. */
export function recordUserEvent(
  ctx: CartContext,
  userId: number,
  type: EventType,
  details: { productId?: number; payload?: Record<string, unknown> },
): Promise<void> {
  return ctx.behaviour.record({ userId, guestId: null }, type, details);
}
