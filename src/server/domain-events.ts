import { EventEmitter } from 'node:events';

/**
 * In-process notifications between modules (e.g. checkout → prediction refresh), so that a module
 * reacts to another without importing it. Listeners must not throw; they run after the commit.
 */
export interface DomainEvents {
  'order.closed': [{ userId: number; orderId: number; totalCents: number }];
  /** Stock of these products changed outside the catalog's own writes (checkout, cancellation). */
  'stock.changed': [{ productIds: number[] }];
}

export type DomainEventBus = EventEmitter<DomainEvents>;

export function createDomainEventBus(): DomainEventBus {
  return new EventEmitter<DomainEvents>();
}
