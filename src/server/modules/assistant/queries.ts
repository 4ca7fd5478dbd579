import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { inTransaction, insertIfAbsent } from '../../db/dialect.ts';
import type { AssistantMessagesTable } from '../../db/schema.ts';

export interface SessionRow {
  id: string;
  userId: number | null;
  guestId: string | null;
  promptLimit: number;
  promptsUsed: number;
}

export async function insertSession(
  db: Db,
  values: { id: string; userId: number | null; guestId: string | null; promptLimit: number },
): Promise<void> {
  await db
    .insertInto('assistant_sessions')
    .values({
      id: values.id,
      user_id: values.userId,
      guest_id: values.guestId,
      prompt_limit: values.promptLimit,
      prompts_used: 0,
      created_at: Date.now(),
    })
    .execute();
}

export async function selectSession(db: Db, id: string): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('assistant_sessions')
    .select(['id', 'user_id', 'guest_id', 'prompt_limit', 'prompts_used'])
    .where('id', '=', id)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      userId: row.user_id === null ? null : Number(row.user_id),
      guestId: row.guest_id,
      promptLimit: Number(row.prompt_limit),
      promptsUsed: Number(row.prompts_used),
    }
  );
}

export async function selectMessages(db: Db, sessionId: string) {
  return db
    .selectFrom('assistant_messages')
    .select(['role', 'content', 'products', 'created_at'])
    .where('session_id', '=', sessionId)
    .orderBy('id')
    .execute();
}

export async function insertExchange(
  db: Db,
  sessionId: string,
  messages: Omit<AssistantMessagesTable, 'id' | 'session_id'>[],
): Promise<void> {
  await db
    .insertInto('assistant_messages')
    .values(messages.map((m) => ({ ...m, session_id: sessionId })))
    .execute();
}

export type Reservation =
  | { ok: true; promptsUsed: number }
  | { ok: false; scope: 'session' | 'daily'; limit: number };

class Refused extends Error {
  readonly reservation: Reservation;
  constructor(reservation: Reservation) {
    super('prompt refused');
    this.reservation = reservation;
  }
}

/** One daily allowance: a user, a guest cookie or a guest's client address, on one UTC day. */
export interface DailyCounter {
  identity: string;
  day: string;
  userId: number | null;
  limit: number;
}

/**
 * Takes one prompt from the session and one from each daily allowance, all by conditional
 * increments in one transaction: concurrent prompts cannot overdraw any of them, and a refused
 * allowance rolls the other increments back. The counters are always taken in the same order.
 */
export async function reservePrompt(db: Db, sessionId: string, daily: DailyCounter[]): Promise<Reservation> {
  for (const counter of daily) {
    await insertIfAbsent(
      db,
      'assistant_daily_usage',
      { identity: counter.identity, day: counter.day, user_id: counter.userId, prompts_used: 0 },
      ['identity', 'day'],
    );
  }
  try {
    return await inTransaction(db, async (trx) => {
      const session = await trx
        .updateTable('assistant_sessions')
        .set({ prompts_used: sql`prompts_used + 1` })
        .where('id', '=', sessionId)
        .where('prompts_used', '<', sql<number>`prompt_limit`)
        .executeTakeFirst();
      if (Number(session.numUpdatedRows) === 0) {
        const row = await trx
          .selectFrom('assistant_sessions')
          .select('prompt_limit')
          .where('id', '=', sessionId)
          .executeTakeFirst();
        throw new Refused({ ok: false, scope: 'session', limit: Number(row?.prompt_limit ?? 0) });
      }
      for (const counter of daily) {
        const usage = await trx
          .updateTable('assistant_daily_usage')
          .set({ prompts_used: sql`prompts_used + 1` })
          .where('identity', '=', counter.identity)
          .where('day', '=', counter.day)
          .where('prompts_used', '<', counter.limit)
          .executeTakeFirst();
        if (Number(usage.numUpdatedRows) === 0) {
          throw new Refused({ ok: false, scope: 'daily', limit: counter.limit });
        }
      }
      const row = await trx
        .selectFrom('assistant_sessions')
        .select('prompts_used')
        .where('id', '=', sessionId)
        .executeTakeFirstOrThrow();
      return { ok: true, promptsUsed: Number(row.prompts_used) };
    });
  } catch (error) {
    if (error instanceof Refused) return error.reservation;
    throw error;
  }
}

/** Gives a reserved prompt back (every counter), for a prompt that got no answer at all. */
export async function refundPrompt(
  db: Db,
  sessionId: string,
  daily: Pick<DailyCounter, 'identity' | 'day'>[],
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('assistant_sessions')
      .set({ prompts_used: sql`prompts_used - 1` })
      .where('id', '=', sessionId)
      .where('prompts_used', '>', 0)
      .execute();
    for (const counter of daily) {
      await trx
        .updateTable('assistant_daily_usage')
        .set({ prompts_used: sql`prompts_used - 1` })
        .where('identity', '=', counter.identity)
        .where('day', '=', counter.day)
        .where('prompts_used', '>', 0)
        .execute();
    }
  });
}
