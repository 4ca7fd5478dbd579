import type { PaymentProvider as ProviderName } from '../../../contract/orders.ts';

/**
 * What the orders module needs from a payment provider (docs/decisions/132-payment-providers.md).
 * `manual` takes no money itself (pay on delivery or by transfer; an admin marks the order paid);
 * `stripe` sends the shopper to a Stripe Checkout Session and reports back through its webhook.
 */
export interface PaymentProvider {
  readonly name: ProviderName;
  /** A hosted payment page for the order, or null when the provider takes no payment online. */
  startCheckout(request: CheckoutRequest): Promise<StartedCheckout | null>;
  /** Gives a paid order's money back; false when this provider cannot (refunded by hand). */
  refund(request: RefundRequest): Promise<boolean>;
  /** Closes a checkout page that was not paid, so that it can no longer be. */
  closeCheckout(sessionId: string): Promise<void>;
  /** Verifies and reads a webhook delivery; throws InvalidWebhook when it is not genuine. */
  readWebhook(rawBody: Buffer, signature: string | undefined): ProviderEvent;
}

export interface CheckoutRequest {
  orderId: number;
  orderNumber: string;
  lines: { name: string; unitPriceCents: number; quantity: number }[];
  /** Where the provider sends the shopper back, paid or not. */
  returnUrl: string;
}

export interface StartedCheckout {
  sessionId: string;
  checkoutUrl: string;
}

export interface RefundRequest {
  orderId: number;
  sessionId: string | null;
  paymentIntentId: string | null;
  amountCents: number;
}

/** A provider's event, reduced to what changes an order. */
export interface ProviderEvent {
  id: string;
  /** The provider's own name for it, e.g. checkout.session.completed. */
  type: string;
  effect: 'paid' | 'payment_failed' | 'expired' | 'pending' | 'ignored';
  sessionId: string | null;
  paymentIntentId: string | null;
}

export class InvalidWebhook extends Error {}

/** The provider could not be reached or refused the call; nothing was changed. */
export class PaymentProviderError extends Error {}

export const manualPayments: PaymentProvider = {
  name: 'manual',
  startCheckout: async () => null,
  refund: async () => false,
  closeCheckout: async () => undefined,
  readWebhook: () => {
    throw new InvalidWebhook('Manual payments receive no webhooks');
  },
};
