import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { adminOrderSchema, outboxListSchema, outboxQuerySchema } from '../../../contract/admin.ts';
import { cancelOrderSchema, shipOrderSchema } from '../../../contract/orders.ts';
import { requireAdmin } from '../../http/auth.ts';
import { idSegment } from '../../http/params.ts';
import { problemSchema as problem, routeGroup } from '../../http/route-kit.ts';
import type { ModuleDeps } from '../../module-deps.ts';
import { listOutbox } from '../mail/outbox.ts';
import type { OrdersContext } from '../orders/context.ts';
import { cancelOrder, deliverOrder, markOrderPaid, shipOrder } from '../orders/fulfilment.ts';
import { getAnyOrder } from './service.ts';

const params = z.object({ id: idSegment });

/** The console's order actions (mark paid, ship, deliver, cancel) and its view of the mail outbox. */
export async function registerAdminOrderActions(
  app: FastifyInstance,
  deps: Pick<ModuleDeps, 'db' | 'events' | 'behaviour' | 'payments' | 'mail'>,
) {
  const ctx = (request: FastifyRequest): OrdersContext => ({ ...deps, log: request.log });
  const schema = (summary: string) => ({
    tags: ['admin'],
    summary,
    params,
    response: { 200: adminOrderSchema, 404: problem, 409: problem, 502: problem },
  });
  // Answers the order as the console's order page shows it.
  const shaped = (orderId: number) => getAnyOrder(deps.db, orderId);

  await routeGroup(app, 'admin', (r) => {
    r.post(
      '/api/admin/orders/:id/mark-paid',
      { schema: schema('A manual order’s money arrived') },
      async (request) => {
        await markOrderPaid(ctx(request), requireAdmin(request).userId, request.params.id);
        return shaped(request.params.id);
      },
    );

    r.post(
      '/api/admin/orders/:id/ship',
      {
        schema: {
          ...schema('Handed to the carrier; the customer is mailed the tracking number'),
          body: shipOrderSchema,
        },
      },
      async (request) => {
        await shipOrder(ctx(request), requireAdmin(request).userId, request.params.id, request.body);
        return shaped(request.params.id);
      },
    );

    r.post(
      '/api/admin/orders/:id/deliver',
      { schema: schema('The shipped order arrived') },
      async (request) => {
        await deliverOrder(ctx(request), requireAdmin(request).userId, request.params.id);
        return shaped(request.params.id);
      },
    );

    r.post(
      '/api/admin/orders/:id/cancel',
      {
        schema: {
          ...schema('Cancel an unfulfilled order: stock returns, a card payment is refunded'),
          body: cancelOrderSchema,
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        await cancelOrder(
          ctx(request),
          { kind: 'admin', userId: admin.userId },
          request.params.id,
          request.body.reason,
        );
        return shaped(request.params.id);
      },
    );

    r.get(
      '/api/admin/outbox',
      {
        schema: {
          tags: ['admin'],
          summary: 'Order mails, newest first: sent, or waiting (no SMTP_URL, or retrying after a failure)',
          querystring: outboxQuerySchema,
          response: { 200: outboxListSchema },
        },
      },
      async (request) => listOutbox(deps.db, request.query, deps.mail.delivering),
    );
  });
}
