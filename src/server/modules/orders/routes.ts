import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  addCartItemSchema,
  cartSchema,
  checkoutSchema,
  orderSchema,
  setCartItemSchema,
} from '../../../contract/orders.ts';
import { requireUser } from '../../http/auth.ts';
import { problemSchema as problem, routeGroup, type ZodRoutes } from '../../http/route-kit.ts';
import type { ModuleDeps } from '../../module-deps.ts';
import { addCartItem } from './cart-add.ts';
import { clearCart, getCart, removeCartItem, setCartItemQuantity } from './cart-service.ts';
import { checkoutCart } from './checkout.ts';
import type { OrdersContext } from './context.ts';
import { cancelOrder } from './fulfilment.ts';
import { getOrder, listOrders } from './history.ts';
import { checkoutHeaders, orderIdParams, productIdParams } from './schemas.ts';

type OrderRouteDeps = Pick<ModuleDeps, 'db' | 'events' | 'behaviour' | 'payments' | 'mail'>;

export async function registerOrderRoutes(app: FastifyInstance, deps: OrderRouteDeps) {
  await routeGroup(app, 'signed-in', (r) => orderRoutes(r, deps));
}

function orderRoutes(r: ZodRoutes, deps: OrderRouteDeps) {
  const ctx = (request: FastifyRequest): OrdersContext => ({ ...deps, log: request.log });

  r.get(
    '/api/cart',
    {
      schema: {
        tags: ['cart'],
        summary: "The signed-in user's cart (its TEMP order), or null",
        response: { 200: cartSchema },
      },
    },
    async (request) => ({ order: await getCart(ctx(request), requireUser(request).userId) }),
  );

  r.post(
    '/api/cart/items',
    {
      schema: {
        tags: ['cart'],
        summary: "Add to the product's line; the first add opens the cart",
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
        summary: "Set the line's quantity (0 removes it)",
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
        summary: 'Remove the line; removing the last one deletes the cart',
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
    {
      schema: {
        tags: ['cart'],
        summary: 'Delete the whole cart',
        response: { 204: z.null(), 404: problem },
      },
    },
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
        summary: 'Buy the cart in one transaction; an Idempotency-Key makes retries safe',
        headers: checkoutHeaders,
        body: checkoutSchema,
        response: { 201: orderSchema, 404: problem, 409: problem },
      },
    },
    async (request, reply) => {
      const { userId } = requireUser(request);
      const shop = `${request.protocol}://${request.host}`;
      const order = await checkoutCart(ctx(request), userId, {
        shippingAddress: request.body.shippingAddress,
        idempotencyKey: request.headers['idempotency-key'] ?? null,
        returnUrl: (orderNumber) => `${shop}/orders?order=${encodeURIComponent(orderNumber)}`,
      });
      return reply.code(201).send(order);
    },
  );

  r.get(
    '/api/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'The TEMP order first, then CLOSED orders newest first',
        response: { 200: z.array(orderSchema) },
      },
    },
    async (request) => listOrders(deps.db, requireUser(request).userId),
  );

  r.get(
    '/api/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary: "One of the user's orders; another user's id is 404",
        params: orderIdParams,
        response: { 200: orderSchema, 404: problem },
      },
    },
    async (request) => getOrder(deps.db, requireUser(request).userId, request.params.id),
  );

  r.post(
    '/api/orders/:id/cancel',
    {
      schema: {
        tags: ['orders'],
        summary:
          'Cancel one of your orders while it is unfulfilled: stock returns, a card payment is refunded',
        params: orderIdParams,
        response: { 200: orderSchema, 404: problem, 409: problem, 502: problem },
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      return cancelOrder(
        ctx(request),
        { kind: 'customer', userId },
        request.params.id,
        'Cancelled by the customer',
      );
    },
  );
}
