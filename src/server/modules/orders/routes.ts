import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  addCartItemSchema,
  cartSchema,
  checkoutSchema,
  orderSchema,
  setCartItemSchema,
} from '../../../contract/orders.ts';
import type { Db } from '../../db/database.ts';
import type { DomainEventBus } from '../../domain-events.ts';
import { requireUser } from '../../http/auth.ts';
import { addCartItem, clearCart, getCart, removeCartItem, setCartItemQuantity } from './cart-service.ts';
import { checkoutCart } from './checkout.ts';
import type { OrdersContext } from './context.ts';
import { getOrder, listOrders } from './history.ts';
import { checkoutHeaders, orderIdParams, productIdParams } from './schemas.ts';

const problem = z.looseObject({ code: z.string() });
const security: { [label: string]: string[] }[] = [{ bearer: [] }, { cookie: [] }];

export async function registerOrderRoutes(app: FastifyInstance, deps: { db: Db; events: DomainEventBus }) {
  await app.register(async (scoped) => {
    // Sign-in is checked before the body, so a guest gets 401 rather than a validation error.
    scoped.addHook('onRequest', async (request) => {
      requireUser(request);
    });
    orderRoutes(scoped, deps);
  });
}

function orderRoutes(app: FastifyInstance, deps: { db: Db; events: DomainEventBus }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = (request: FastifyRequest): OrdersContext => ({ ...deps, log: request.log });

  r.get(
    '/api/cart',
    { schema: { tags: ['cart'], security, response: { 200: cartSchema } } },
    async (request) => ({ order: await getCart(ctx(request), requireUser(request).userId) }),
  );

  r.post(
    '/api/cart/items',
    {
      schema: {
        tags: ['cart'],
        security,
        body: addCartItemSchema,
        response: { 200: cartSchema, 404: problem, 409: problem },
      },
    },
    async (request) => ({
      order: await addCartItem(ctx(request), requireUser(request).userId, request.body),
    }),
  );

  r.put(
    '/api/cart/items/:productId',
    {
      schema: {
        tags: ['cart'],
        security,
        params: productIdParams,
        body: setCartItemSchema,
        response: { 200: cartSchema, 404: problem, 409: problem },
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      return {
        order: await setCartItemQuantity(
          ctx(request),
          userId,
          request.params.productId,
          request.body.quantity,
        ),
      };
    },
  );

  r.delete(
    '/api/cart/items/:productId',
    {
      schema: {
        tags: ['cart'],
        security,
        params: productIdParams,
        response: { 200: cartSchema, 404: problem },
      },
    },
    async (request) => ({
      order: await removeCartItem(ctx(request), requireUser(request).userId, request.params.productId),
    }),
  );

  r.delete(
    '/api/cart',
    { schema: { tags: ['cart'], security, response: { 204: z.null(), 404: problem } } },
    async (request, reply) => {
      await clearCart(ctx(request), requireUser(request).userId);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/cart/checkout',
    {
      schema: {
        tags: ['cart'],
        security,
        headers: checkoutHeaders,
        body: checkoutSchema,
        response: { 201: orderSchema, 404: problem, 409: problem },
      },
    },
    async (request, reply) => {
      const { userId } = requireUser(request);
      const order = await checkoutCart(ctx(request), userId, {
        shippingAddress: request.body.shippingAddress,
        idempotencyKey: request.headers['idempotency-key'] ?? null,
      });
      return reply.code(201).send(order);
    },
  );

  r.get(
    '/api/orders',
    { schema: { tags: ['orders'], security, response: { 200: z.array(orderSchema) } } },
    async (request) => listOrders(deps.db, requireUser(request).userId),
  );

  r.get(
    '/api/orders/:id',
    {
      schema: {
        tags: ['orders'],
        security,
        params: orderIdParams,
        response: { 200: orderSchema, 404: problem },
      },
    },
    async (request) => getOrder(deps.db, requireUser(request).userId, request.params.id),
  );
}
