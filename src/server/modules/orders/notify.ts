import type { Transaction } from 'kysely';
import type { Order } from '../../../contract/orders.ts';
import type { Database } from '../../db/schema.ts';
import { getUser } from '../accounts/service.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { cancelledMail, confirmationMail, shippedMail } from '../mail/templates.ts';
import { getAnyOrder } from './history.ts';

type Trx = Transaction<Database>;

export type OrderMail =
  | { kind: 'order_confirmation' }
  | { kind: 'order_shipped' }
  | { kind: 'order_cancelled'; refund: 'refunded' | 'by_hand' | 'none' };

/**
 * Writes the order's mail into the outbox, in the transaction that made the change it reports.
 * A deleted customer's order (no owner) gets no mail. `known`: the order as it now stands and its
 * owner, when the caller has just read them (checkout), to spare reading them again.
 */
export async function writeOrderMail(
  trx: Trx,
  orderId: number,
  mail: OrderMail,
  known?: { order: Order; userId: number },
): Promise<void> {
  const order: Order = known?.order ?? (await getAnyOrder(trx, orderId));
  const ownerId =
    known?.userId ??
    (await trx.selectFrom('orders').select('user_id').where('id', '=', orderId).executeTakeFirst())?.user_id;
  if (!ownerId) return;
  const user = await getUser(trx, ownerId);
  const text =
    mail.kind === 'order_confirmation'
      ? confirmationMail(order, user)
      : mail.kind === 'order_shipped'
        ? shippedMail(order, user)
        : cancelledMail(order, user, mail.refund);
  await enqueueMail(trx, {
    userId: ownerId,
    orderId,
    kind: mail.kind,
    to: user.email,
    subject: text.subject,
    body: text.body,
  });
}
