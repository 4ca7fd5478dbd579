import { type APIRequestContext, expect } from '@playwright/test';

/** Orders and products made through the API, for tests about what happens to an order afterwards. */

// The demo admin from src/server/db/seed/demo-catalog.ts.
export const ADMIN = { username: 'admin', password: 'admin-demo-pass' };

export async function signInAsAdmin(request: APIRequestContext) {
  const res = await request.post('/api/auth/login', { data: ADMIN });
  expect(res.status(), await res.text()).toBe(200);
}

const unique = (prefix: string) => `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** A product of its own, so no other test moves its stock while this one counts it. */
export async function ownProduct(admin: APIRequestContext, prefix: string, stock: number) {
  const categories = await (await admin.get('/api/categories')).json();
  const res = await admin.post('/api/admin/products', {
    data: {
      name: unique(prefix),
      description: 'Order lifecycle e2e',
      categoryId: categories[0].id,
      priceCents: 1450,
      stock,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: number; name: string };
}

export interface PlacedOrder {
  id: number;
  number: string;
}

/** Adds the product to the shopper's cart and checks out (manual payment: awaiting, unfulfilled). */
export async function placeOrder(shopper: APIRequestContext, productId: number, quantity: number) {
  const add = await shopper.post('/api/cart/items', { data: { productId, quantity } });
  expect(add.status(), await add.text()).toBe(200);
  const res = await shopper.post('/api/cart/checkout', { data: { shippingAddress: '3 Lifecycle Lane' } });
  expect(res.status(), await res.text()).toBe(201);
  const order = await res.json();
  expect(order).toMatchObject({ paymentStatus: 'awaiting', fulfillmentStatus: 'unfulfilled' });
  return order as PlacedOrder;
}

export async function stockOf(request: APIRequestContext, productId: number): Promise<number> {
  const res = await request.get(`/api/products/${productId}`);
  expect(res.status()).toBe(200);
  return (await res.json()).stock;
}
