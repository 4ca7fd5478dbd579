import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adminCustomerSchema,
  adminOrderListQuerySchema,
  adminOrderListSchema,
  adminOrderSchema,
  adminOverviewSchema,
} from '../../../contract/admin.ts';
import type { Config } from '../../config.ts';
import { requireAdmin } from '../../http/auth.ts';
import type { MailSender } from '../mail/sender.ts';
import type { OrdersContext } from '../orders/context.ts';
import { registerAdminOrderActions } from './order-actions.ts';
import { getAnyOrder, getCustomer, getOverview, listAllOrders } from './service.ts';

const SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

// Before validation, so customers get 403 and guests 401 whatever they sent.
const adminOnly = async (request: FastifyRequest) => {
  requireAdmin(request);
};

const positiveId = z
  .string()
  .regex(/^\d{1,10}$/, 'Must be a positive whole number')
  .transform(Number)
  .pipe(z.number().min(1, 'Must be at least 1').max(2_147_483_647));

/** The admin console's reporting API: every customer's orders, customer pages, the overview. */
export async function registerAdminRoutes(
  app: FastifyInstance,
  deps: Omit<OrdersContext, 'log' | 'mail'> & { mail: MailSender; config: Config },
) {
  const { db, config } = deps;
  registerAdminOrderActions(app, deps);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const common = { tags: ['admin'], security: SECURITY };

  r.get(
    '/api/admin/overview',
    {
      onRequest: adminOnly,
      schema: {
        ...common,
        summary: 'Revenue and orders per day (last 30 days), low stock, customers at risk, counts',
        response: { 200: adminOverviewSchema },
      },
    },
    async () => getOverview(db),
  );

  r.get(
    '/api/admin/orders',
    {
      onRequest: adminOnly,
      schema: {
        ...common,
        summary: 'Every customer’s orders, newest first, filtered by status, date and username',
        querystring: adminOrderListQuerySchema,
        response: { 200: adminOrderListSchema },
      },
    },
    async (request) => listAllOrders(db, request.query),
  );

  r.get(
    '/api/admin/orders/:id',
    {
      onRequest: adminOnly,
      schema: {
        ...common,
        summary: 'Any customer’s order with its lines',
        params: z.object({ id: positiveId }),
        response: { 200: adminOrderSchema },
      },
    },
    async (request) => getAnyOrder(db, request.params.id),
  );

  r.get(
    '/api/admin/customers/:userId',
    {
      onRequest: adminOnly,
      schema: {
        ...common,
        summary: 'A customer: profile, orders, recent behaviour and the model’s prediction',
        params: z.object({ userId: positiveId }),
        response: { 200: adminCustomerSchema },
      },
    },
    async (request) => getCustomer(db, config, request.params.userId),
  );
}
