import type { Transaction } from 'kysely';
import type { OutboxList, OutboxMail } from '../../../contract/admin.ts';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';

/**
 * The mail outbox (docs/decisions/134-mail-outbox.md). A mail is written in the transaction whose
 * change it reports, so it exists exactly when that change committed; the sender delivers it later.
 */

type Reader = Db | Transaction<Database>;

export interface NewMail {
  userId: number;
  orderId: number | null;
  kind: string;
  to: string;
  subject: string;
  body: string;
}

export async function enqueueMail(
  trx: Transaction<Database>,
  mail: NewMail,
  now = Date.now(),
): Promise<void> {
  await trx
    .insertInto('mail_outbox')
    .values({
      user_id: mail.userId,
      order_id: mail.orderId,
      kind: mail.kind,
      to_address: mail.to,
      subject: mail.subject.slice(0, 300),
      body_text: mail.body,
      next_attempt_at: now,
      created_at: now,
    })
    .execute();
}

export interface DueMail {
  id: number;
  to: string;
  subject: string;
  body: string;
  attempts: number;
}

/** Pending mails whose time has come and that no sender holds, oldest first. */
export async function selectDueMails(db: Db, now: number, limit: number): Promise<DueMail[]> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select(['id', 'to_address as to', 'subject', 'body_text as body', 'attempts'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts) }));
}

/** Takes the mail for one sender (of possibly several app instances); false when another has it. */
export async function leaseMail(db: Db, id: number, now: number, leaseMs: number): Promise<boolean> {
  const result = await db
    .updateTable('mail_outbox')
    .set({ lease_until: now + leaseMs })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markSent(db: Db, id: number, now: number): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({ status: 'sent', sent_at: now, lease_until: null, last_error: null })
    .where('id', '=', id)
    .execute();
}

export async function markFailed(db: Db, id: number, error: string, retryAt: number): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      next_attempt_at: retryAt,
      lease_until: null,
      last_error: error.slice(0, 1000),
    }))
    .where('id', '=', id)
    .execute();
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/** The console's view of the outbox, newest first. */
export async function listOutbox(
  db: Reader,
  query: { status?: 'pending' | 'sent'; page: number; pageSize: number },
  delivering: boolean,
): Promise<OutboxList> {
  let base = db.selectFrom('mail_outbox');
  if (query.status) base = base.where('status', '=', query.status);
  const total = Number(
    (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const rows = await base
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const items: OutboxMail[] = rows.map((r) => ({
    id: Number(r.id),
    orderId: r.order_id === null ? null : Number(r.order_id),
    kind: r.kind,
    to: r.to_address,
    subject: r.subject,
    body: r.body_text,
    status: r.status,
    attempts: Number(r.attempts),
    lastError: r.last_error,
    createdAt: iso(r.created_at) as string,
    nextAttemptAt: r.status === 'sent' ? null : iso(r.next_attempt_at),
    sentAt: iso(r.sent_at),
  }));
  return { items, page: query.page, pageSize: query.pageSize, total, delivering };
}
