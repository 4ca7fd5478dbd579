import type { Order } from '../../../contract/orders.ts';

/** The order mails' words. Plain text: nothing in them needs markup, and every client shows it. */

export interface Recipient {
  firstName: string;
}

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

function lines(order: Order): string {
  return order.lines
    .map((l) => `  ${l.quantity} × ${l.name} at ${money(l.unitPriceCents)} = ${money(l.lineTotalCents)}`)
    .join('\n');
}

export function confirmationMail(order: Order, to: Recipient) {
  const payment =
    order.payment?.provider === 'stripe'
      ? 'Your card payment was received through Stripe.'
      : 'Pay on delivery or by bank transfer; we mark the order paid when the money arrives.';
  return {
    subject: `Your Cartwise order ${order.number}`,
    body: [
      `Hello ${to.firstName},`,
      '',
      `thank you for your order ${order.number}.`,
      '',
      lines(order),
      '',
      `Total: ${money(order.totalCents)}`,
      '',
      'It goes to:',
      order.shippingAddress ?? '',
      '',
      payment,
      'You can cancel it from your order history until it ships.',
    ].join('\n'),
  };
}

export function shippedMail(order: Order, to: Recipient) {
  const s = order.shipment;
  return {
    subject: `Your Cartwise order ${order.number} has shipped`,
    body: [
      `Hello ${to.firstName},`,
      '',
      `your order ${order.number} is on its way.`,
      '',
      `Carrier: ${s?.carrier ?? ''}`,
      `Tracking number: ${s?.trackingNumber ?? ''}`,
      '',
      lines(order),
    ].join('\n'),
  };
}

export function cancelledMail(order: Order, to: Recipient, refund: 'refunded' | 'by_hand' | 'none') {
  const money_ =
    refund === 'refunded'
      ? `We refunded ${money(order.totalCents)} to your card; banks take up to 10 days to show it.`
      : refund === 'by_hand'
        ? `We will send your payment of ${money(order.totalCents)} back by bank transfer.`
        : 'Nothing was charged.';
  return {
    subject: `Your Cartwise order ${order.number} was cancelled`,
    body: [
      `Hello ${to.firstName},`,
      '',
      `your order ${order.number} was cancelled${order.cancelReason ? `: ${order.cancelReason}` : '.'}`,
      '',
      lines(order),
      '',
      money_,
    ].join('\n'),
  };
}
