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
 * A deleted customer's order (no owner) gets no mail.
 */
export async function writeOrderMail(trx: Trx, orderId: number, mail: OrderMail): Promise<void> {
  const order: Order = await getAnyOrder(trx, orderId);
  const owner = await trx.selectFrom('orders').select('user_id').where('id', '=', orderId).executeTakeFirst();
  if (!owner?.user_id) return;
  const user = await getUser(trx, owner.user_id);
  const text =
    mail.kind === 'order_confirmation'
      ? confirmationMail(order, user)
      : mail.kind === 'order_shipped'
        ? shippedMail(order, user)
        : cancelledMail(order, user, mail.refund);
  await enqueueMail(trx, {
    userId: owner.user_id,
    orderId,
    kind: mail.kind,
    to: user.email,
    subject: text.subject,
    body: text.body,
  });
}
