import type { FastifyBaseLogger } from 'fastify';
import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { EventsTable, EventType } from '../../db/schema.ts';
import { metrics } from '../../http/metrics.ts';
import { countHit } from '../../http/rate-limit.ts';

/** Who did something: a signed-in user or a guest (cookie id). */
export interface Actor {
  userId: number | null;
  guestId: string | null;
  /** A guest's client address (`request.ip`): guests' events are capped per address. */
  address?: string | null;
}

const MAX_BATCH = 500;
const GUEST_WINDOW_MS = 60_000;

interface Pending {
  row: Insertable<EventsTable>;
  /** Set for a guest's event: the address whose allowance it takes. */
  address: string | null;
}

/**
 * Behaviour events (views, searches, cart and favorite changes, chats) for the prediction models,
 * written in batches off the request path (docs/decisions/092-behaviour-events-written-in-batches.md).
 * Losing an event must never fail or slow a request: `record` never rejects, and failures are
 * logged here. A guest's events are capped per client address and minute (`guestPerMinute`,
 * counted in `rate_limits` so every instance shares it): past the cap they are not recorded, the
 * request still answers as usual (decision 178).
 */
export class BehaviourLog {
  readonly #db: Db;
  readonly #log: FastifyBaseLogger;
  readonly #flushAfterMs: number;
  readonly #guestPerMinute: number;
  #pending: Pending[] = [];
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> = Promise.resolve();

  /** `flushAfterMs` 0 writes each event before `record` resolves; no `guestPerMinute`: no cap. */
  constructor(db: Db, log: FastifyBaseLogger, options: { flushAfterMs: number; guestPerMinute?: number }) {
    this.#db = db;
    this.#log = log;
    this.#flushAfterMs = options.flushAfterMs;
    this.#guestPerMinute = options.guestPerMinute ?? Number.POSITIVE_INFINITY;
  }

  record(
    actor: Actor,
    type: EventType,
    details: { productId?: number | null; payload?: Record<string, unknown> } = {},
  ): Promise<void> {
    this.#pending.push({
      row: {
        user_id: actor.userId,
        guest_id: actor.userId ? null : actor.guestId,
        type,
        product_id: details.productId ?? null,
        payload: details.payload ? JSON.stringify(details.payload) : null,
        created_at: Date.now(),
      },
      address: actor.userId ? null : (actor.address ?? null),
    });
    if (this.#flushAfterMs === 0 || this.#pending.length >= MAX_BATCH) return this.flush();
    this.#timer ??= setTimeout(() => void this.flush(), this.#flushAfterMs);
    return Promise.resolve();
  }

  /** Writes everything recorded so far; resolves once it is in the database (or given up). */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#pending;
    this.#pending = [];
    // One write at a time, so that rows land in the order they were recorded.
    if (batch.length > 0) {
      this.#writing = this.#writing.then(async () => this.#write(await this.#withinGuestCap(batch)));
    }
    return this.#writing;
  }

  /** The batch without the guest events past their address's allowance for this minute. */
  async #withinGuestCap(batch: Pending[]): Promise<Insertable<EventsTable>[]> {
    if (!Number.isFinite(this.#guestPerMinute)) return batch.map((p) => p.row);
    const perAddress = new Map<string, number>();
    for (const { address } of batch) {
      if (address !== null) perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    }
    // How many of each address's events still fit: one counter update per address and batch.
    const room = new Map<string, number>();
    for (const [address, count] of perAddress) {
      try {
        const { current } = await countHit(this.#db, `guest-events:${address}`, GUEST_WINDOW_MS, count);
        room.set(address, Math.max(0, Math.min(count, this.#guestPerMinute - (current - count))));
      } catch (error) {
        room.set(address, 0);
        this.#log.warn({ err: error }, 'guest events not recorded: their allowance could not be counted');
      }
    }
    const rows: Insertable<EventsTable>[] = [];
    for (const { row, address } of batch) {
      if (address === null) {
        rows.push(row);
        continue;
      }
      const left = room.get(address) ?? 0;
      if (left > 0) {
        room.set(address, left - 1);
        rows.push(row);
      } else {
        metrics.behaviourEvents.inc({ outcome: 'capped' });
      }
    }
    return rows;
  }

  async #write(rows: Insertable<EventsTable>[]): Promise<void> {
    if (rows.length === 0) return;
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
