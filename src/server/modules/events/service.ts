import type { FastifyBaseLogger } from 'fastify';
import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { EventsTable, EventType } from '../../db/schema.ts';
import { metrics } from '../../http/metrics.ts';

/** Who did something: a signed-in user or a guest (cookie id). */
export interface Actor {
  userId: number | null;
  guestId: string | null;
}

const MAX_BATCH = 500;

/**
 * Behaviour events (views, searches, cart and favorite changes, chats) for the prediction models,
 * written in batches off the request path (docs/decisions/092-behaviour-events-written-in-batches.md).
 * Losing an event must never fail or slow a request: `record` never rejects, and failures are
 * logged here.
 */
export class BehaviourLog {
  readonly #db: Db;
  readonly #log: FastifyBaseLogger;
  readonly #flushAfterMs: number;
  #pending: Insertable<EventsTable>[] = [];
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> = Promise.resolve();

  /** `flushAfterMs` 0 writes each event before `record` resolves. */
  constructor(db: Db, log: FastifyBaseLogger, options: { flushAfterMs: number }) {
    this.#db = db;
    this.#log = log;
    this.#flushAfterMs = options.flushAfterMs;
  }

  record(
    actor: Actor,
    type: EventType,
    details: { productId?: number | null; payload?: Record<string, unknown> } = {},
  ): Promise<void> {
    this.#pending.push({
      user_id: actor.userId,
      guest_id: actor.userId ? null : actor.guestId,
      type,
      product_id: details.productId ?? null,
      payload: details.payload ? JSON.stringify(details.payload) : null,
      created_at: Date.now(),
    });
    if (this.#flushAfterMs === 0 || this.#pending.length >= MAX_BATCH) return this.flush();
    this.#timer ??= setTimeout(() => void this.flush(), this.#flushAfterMs);
    return Promise.resolve();
  }

  /** Writes everything recorded so far; resolves once it is in the database (or given up). */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const rows = this.#pending;
    this.#pending = [];
    // One write at a time, so that rows land in the order they were recorded.
    if (rows.length > 0) this.#writing = this.#writing.then(() => this.#write(rows));
    return this.#writing;
  }

  async #write(rows: Insertable<EventsTable>[]): Promise<void> {
    try {
      await this.#db.insertInto('events').values(rows).execute();
      metrics.behaviourEvents.inc({ outcome: 'written' }, rows.length);
    } catch {
      // Usually one row whose user was deleted meanwhile: keep the others.
      for (const row of rows) {
        try {
          await this.#db.insertInto('events').values(row).execute();
          metrics.behaviourEvents.inc({ outcome: 'written' });
        } catch (error) {
          metrics.behaviourEvents.inc({ outcome: 'dropped' });
          this.#log.warn({ err: error, type: row.type }, 'behaviour event not recorded');
        }
      }
    }
  }
}
