import type { KyselyPlugin } from 'kysely';
import pino from 'pino';
import type { Db } from '../../src/server/db/database.ts';
import { createDomainEventBus } from '../../src/server/domain-events.ts';
import { BehaviourLog } from '../../src/server/modules/events/service.ts';
import type { CartContext } from '../../src/server/modules/orders/context.ts';

/**
 * A cart context over `db` that counts the statements the cart sends (BEGIN and COMMIT are not
 * statements here). With `countEvents` each behaviour event is written, and counted, before the
 * change returns; without, events wait in their batch and only the cart's own statements count.
 */
export function countingCartContext(
  db: Db,
  options: { countEvents: boolean },
): { ctx: CartContext; reset(): void; count(): number } {
  let statements = 0;
  const counting: KyselyPlugin = {
    transformQuery: (args) => {
      statements++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const counted = db.withPlugin(counting) as Db;
  const log = pino({ level: 'silent' });
  const behaviour = options.countEvents
    ? new BehaviourLog(counted, log, { flushAfterMs: 0 })
    : new BehaviourLog(db, log, { flushAfterMs: 60_000 });
  return {
    ctx: { db: counted, events: createDomainEventBus(), behaviour, log },
    reset: () => {
      statements = 0;
    },
    count: () => statements,
  };
}
