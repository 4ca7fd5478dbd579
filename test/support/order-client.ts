import { expect } from 'vitest';
import type { Db } from '../../src/server/db/database.ts';
import type { createUser } from './app.ts';

/**
 * JSON calls over real HTTP to a listening test app, for the tests of an order's life after
 * checkout (real connections, so that racing requests really race).
 */

export type User = Awaited<ReturnType<typeof createUser>>;
export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of several shapes
  body: any;
}

export function orderClient(base: () => string, db: () => Db) {
  async function call(method: string, path: string, user: User | null, body?: unknown): Promise<Reply> {
    const res = await fetch(base() + path, {
      method,
      headers: {
        ...(user?.headers ?? {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  const stockOf = async (id: number) =>
    Number(
      (await db().selectFrom('products').select('stock').where('id', '=', id).executeTakeFirstOrThrow())
        .stock,
    );

  /** Fills the user's cart through the API and checks out; returns the placed order. */
  async function placeOrder(user: User, items: [productId: number, quantity: number][], address: string) {
    for (const [productId, quantity] of items) {
      expect((await call('POST', '/api/cart/items', user, { productId, quantity })).status).toBe(200);
    }
    const res = await call('POST', '/api/cart/checkout', user, { shippingAddress: address });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  return { call, stockOf, placeOrder };
}
