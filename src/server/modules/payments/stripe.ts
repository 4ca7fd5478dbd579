import Stripe from 'stripe';
import {
  type CheckoutRequest,
  InvalidWebhook,
  type PaymentProvider,
  PaymentProviderError,
  type ProviderEvent,
  type RefundRequest,
  type StartedCheckout,
} from './provider.ts';

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string | undefined;
  /** Another API endpoint (stripe-mock, the tests' fake), e.g. http://127.0.0.1:12111. */
  apiUrl?: string;
  /** How long a Checkout Session stays payable (Stripe allows 30 minutes to 24 hours). */
  checkoutMinutes?: number;
}

/** Stripe Checkout through the official SDK: the card form is Stripe's page, never the shop's. */
export function createStripePayments(settings: StripeSettings): PaymentProvider {
  const endpoint = settings.apiUrl ? new URL(settings.apiUrl) : null;
  const stripe = new Stripe(settings.secretKey, {
    timeout: 10_000,
    maxNetworkRetries: 2,
    ...(endpoint
      ? {
          host: endpoint.hostname,
          port: endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80),
          protocol: endpoint.protocol === 'http:' ? 'http' : 'https',
        }
      : {}),
  });
  const checkoutMinutes = settings.checkoutMinutes ?? 60;

  const call = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw new PaymentProviderError(`Stripe ${what} failed: ${(error as Error).message}`, { cause: error });
    }
  };

  return {
    name: 'stripe',

    async startCheckout(request: CheckoutRequest): Promise<StartedCheckout> {
      const back = (outcome: string) =>
        `${request.returnUrl}${request.returnUrl.includes('?') ? '&' : '?'}payment=${outcome}`;
      const session = await call('checkout', () =>
        // A transaction retried after a deadlock opens a second session; the first one just expires.
        stripe.checkout.sessions.create({
          mode: 'payment',
          client_reference_id: String(request.orderId),
          metadata: { orderNumber: request.orderNumber },
          line_items: request.lines.map((line) => ({
            quantity: line.quantity,
            price_data: {
              currency: 'usd',
              unit_amount: line.unitPriceCents,
              product_data: { name: line.name },
            },
          })),
          success_url: back('success'),
          cancel_url: back('cancelled'),
          expires_at: Math.floor(Date.now() / 1000) + checkoutMinutes * 60,
        }),
      );
      if (!session.url) throw new PaymentProviderError('Stripe returned a Checkout Session without a URL');
      return { sessionId: session.id, checkoutUrl: session.url };
    },

    async refund(request: RefundRequest): Promise<boolean> {
      let paymentIntent = request.paymentIntentId;
      if (!paymentIntent && request.sessionId) {
        const session = await call('session lookup', () =>
          stripe.checkout.sessions.retrieve(request.sessionId!),
        );
        paymentIntent =
          typeof session.payment_intent === 'string'
            ? session.payment_intent
            : (session.payment_intent?.id ?? null);
      }
      if (!paymentIntent)
        throw new PaymentProviderError(`Order ${request.orderId} has no Stripe payment to refund`);
      // One refund per order, however often a cancel is retried.
      await call('refund', () =>
        stripe.refunds.create(
          { payment_intent: paymentIntent, amount: request.amountCents },
          { idempotencyKey: `refund-order-${request.orderId}` },
        ),
      );
      return true;
    },

    async closeCheckout(sessionId: string): Promise<void> {
      await call('session expiry', () => stripe.checkout.sessions.expire(sessionId));
    },

    readWebhook(rawBody: Buffer, signature: string | undefined): ProviderEvent {
      if (!settings.webhookSecret) throw new InvalidWebhook('STRIPE_WEBHOOK_SECRET is not set');
      if (!signature) throw new InvalidWebhook('Missing Stripe-Signature');
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature, settings.webhookSecret);
      } catch (error) {
        throw new InvalidWebhook((error as Error).message);
      }
      return toProviderEvent(event);
    },
  };
}

function toProviderEvent(event: Stripe.Event): ProviderEvent {
  const base = { id: event.id, type: event.type, sessionId: null, paymentIntentId: null };
  if (!event.type.startsWith('checkout.session.')) return { ...base, effect: 'ignored' };
  const session = event.data.object as Stripe.Checkout.Session;
  const paymentIntentId =
    typeof session.payment_intent === 'string'
      ? session.payment_intent
      : (session.payment_intent?.id ?? null);
  const withSession = { ...base, sessionId: session.id, paymentIntentId };
  switch (event.type) {
    case 'checkout.session.completed':
      // Delayed methods (bank debits) complete the session unpaid; the async events follow.
      return { ...withSession, effect: session.payment_status === 'unpaid' ? 'pending' : 'paid' };
    case 'checkout.session.async_payment_succeeded':
      return { ...withSession, effect: 'paid' };
    case 'checkout.session.async_payment_failed':
      return { ...withSession, effect: 'payment_failed' };
    case 'checkout.session.expired':
      return { ...withSession, effect: 'expired' };
    default:
      return { ...withSession, effect: 'ignored' };
  }
}
