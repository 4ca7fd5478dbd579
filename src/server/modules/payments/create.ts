import type { Config } from '../../config.ts';
import { manualPayments, type PaymentProvider } from './provider.ts';
import { createStripePayments } from './stripe.ts';

/** Stripe when STRIPE_SECRET_KEY is set, manual payment otherwise. */
export function createPaymentProvider(config: Config): PaymentProvider {
  if (!config.STRIPE_SECRET_KEY) return manualPayments;
  return createStripePayments({
    secretKey: config.STRIPE_SECRET_KEY,
    webhookSecret: config.STRIPE_WEBHOOK_SECRET,
    apiUrl: config.STRIPE_API_URL,
    checkoutMinutes: config.STRIPE_CHECKOUT_MINUTES,
  });
}
