import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  adminCustomerSchema,
  adminOrderListQuerySchema,
  adminOrderListSchema,
  adminOrderSchema,
  adminOverviewSchema,
} from '../../../contract/admin.ts';
import { idSegment } from '../../http/params.ts';
import { routeGroup } from '../../http/route-kit.ts';
import type { ModuleDeps } from '../../module-deps.ts';
import { registerAdminOrderActions } from './order-actions.ts';
import { getAnyOrder, getCustomer, getOverview, listAllOrders } from './service.ts';

/** The admin console's reporting API: every customer's orders, customer pages, the overview. */
export async function registerAdminRoutes(
  app: FastifyInstance,
  deps: Pick<ModuleDeps, 'db' | 'config' | 'events' | 'behaviour' | 'payments' | 'mail'>,
) {
  const { db, config } = deps;
  const tags = ['admin'];
  await registerAdminOrderActions(app, deps);

  await routeGroup(app, 'admin', (r) => {
    r.get(
      '/api/admin/overview',
      {
        schema: {
          tags,
          summary: 'Revenue and orders per day (last 30 days), low stock, customers at risk, counts',
          response: { 200: adminOverviewSchema },
        },
      },
      async () => getOverview(db),
    );

    r.get(
      '/api/admin/orders',
      {
        schema: {
          tags,
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
        schema: {
          tags,
          summary: 'Any customer’s order with its lines',
          params: z.object({ id: idSegment }),
          response: { 200: adminOrderSchema },
        },
      },
      async (request) => getAnyOrder(db, request.params.id),
    );

    r.get(
      '/api/admin/customers/:userId',
      {
        schema: {
          tags,
          summary: 'A customer: profile, orders, recent behaviour and the model’s prediction',
          params: z.object({ userId: idSegment }),
          response: { 200: adminCustomerSchema },
        },
      },
      async (request) => getCustomer(db, config, request.params.userId),
    );
  });
}
