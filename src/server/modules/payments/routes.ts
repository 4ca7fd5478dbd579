import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../app-error.ts';
import type { OrdersContext } from '../orders/context.ts';
import { applyPaymentEvent } from '../orders/payment-events.ts';
import { InvalidWebhook } from './provider.ts';

const problem = z.looseObject({ code: z.string() });

/**
 * `POST /api/payments/stripe/webhook`. The signature covers the exact bytes Stripe sent, so this
 * route's scope reads JSON as a raw buffer and parses it only after verification.
 */
export async function registerPaymentRoutes(app: FastifyInstance, deps: Omit<OrdersContext, 'log'>) {
  await app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 512 * 1024 }, (_request, body, done) =>
      done(null, body),
    );
    const r = scoped.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/api/payments/stripe/webhook',
      {
        schema: {
          tags: ['payments'],
          summary: 'Stripe events (Stripe-Signature verified over the raw body); repeats change nothing',
          response: {
            200: z.object({ received: z.literal(true), outcome: z.string() }),
            400: problem,
            404: problem,
          },
        },
      },
      async (request) => {
        if (deps.payments.name !== 'stripe')
          throw new AppError(404, 'not_found', 'Stripe payments are not configured');
        const signature = request.headers['stripe-signature'];
        let event: ReturnType<typeof deps.payments.readWebhook>;
        try {
          event = deps.payments.readWebhook(
            Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
            typeof signature === 'string' ? signature : undefined,
          );
        } catch (error) {
          if (!(error instanceof InvalidWebhook)) throw error;
          throw new AppError(400, 'invalid_signature', `Webhook refused: ${error.message}`);
        }
        const outcome = await applyPaymentEvent({ ...deps, log: request.log }, event);
        request.log.info({ eventId: event.id, type: event.type, outcome }, 'payment event');
        return { received: true as const, outcome };
      },
    );
  });
}
