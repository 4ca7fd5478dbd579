import type { Db } from '../../db/database.ts';
import type { EventType } from '../../db/schema.ts';

/** Who did something: a signed-in user or a guest (cookie id). */
export interface Actor {
  userId: number | null;
  guestId: string | null;
}

/**
 * Appends one behaviour event. Failures are logged by the caller's request, never surfaced: losing
 * an analytics event must not fail a purchase.
 */
export async function recordEvent(
  db: Db,
  actor: Actor,
  type: EventType,
  details: { productId?: number | null; payload?: Record<string, unknown> } = {},
): Promise<void> {
  await db
    .insertInto('events')
    .values({
      user_id: actor.userId,
      guest_id: actor.userId ? null : actor.guestId,
      type,
      product_id: details.productId ?? null,
      payload: details.payload ? JSON.stringify(details.payload) : null,
      created_at: Date.now(),
    })
    .execute();
}
