import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/server/db/database.ts';
import { createProduct } from './app.ts';

/** A small realistic catalog for the assistant's tests: five categories, out-of-stock items included. */

export const FIXTURE_CATEGORIES = [
  { name: 'Electronics', slug: 'electronics' },
  { name: 'Home & Kitchen', slug: 'home-kitchen' },
  { name: 'Books', slug: 'books' },
  { name: 'Sports & Outdoors', slug: 'sports-outdoors' },
  { name: 'Clothing', slug: 'clothing' },
];

export const FIXTURE_PRODUCTS: { name: string; categorySlug: string; priceCents: number; stock: number }[] = [
  { name: 'Aurora Wireless Headphones', categorySlug: 'electronics', priceCents: 12999, stock: 14 },
  { name: 'Pulse Bluetooth Speaker', categorySlug: 'electronics', priceCents: 5999, stock: 0 },
  { name: 'Nimbus 4K Monitor', categorySlug: 'electronics', priceCents: 34900, stock: 6 },
  { name: 'Volt USB-C Charger', categorySlug: 'electronics', priceCents: 2499, stock: 40 },
  { name: 'Orbit Smartwatch', categorySlug: 'electronics', priceCents: 19900, stock: 3 },
  { name: 'Barista Espresso Machine', categorySlug: 'home-kitchen', priceCents: 44900, stock: 2 },
  { name: "Chef's Knife Set", categorySlug: 'home-kitchen', priceCents: 8950, stock: 11 },
  { name: 'Cast Iron Skillet', categorySlug: 'home-kitchen', priceCents: 3995, stock: 25 },
  { name: 'Bamboo Cutting Board', categorySlug: 'home-kitchen', priceCents: 1899, stock: 0 },
  { name: 'Ceramic Coffee Mug', categorySlug: 'home-kitchen', priceCents: 1250, stock: 60 },
  { name: 'The Pragmatic Gardener', categorySlug: 'books', priceCents: 2400, stock: 8 },
  { name: 'Midnight in the Archive', categorySlug: 'books', priceCents: 1699, stock: 0 },
  { name: 'Cooking for Everyone', categorySlug: 'books', priceCents: 3200, stock: 5 },
  { name: 'Stars and Atoms', categorySlug: 'books', priceCents: 2850, stock: 12 },
  { name: 'Trailblazer Hiking Backpack', categorySlug: 'sports-outdoors', priceCents: 8900, stock: 9 },
  { name: 'Summit Yoga Mat', categorySlug: 'sports-outdoors', priceCents: 3499, stock: 0 },
  { name: 'Aqua Insulated Water Bottle', categorySlug: 'sports-outdoors', priceCents: 2299, stock: 35 },
  { name: 'Pro Tennis Racket', categorySlug: 'sports-outdoors', priceCents: 15900, stock: 4 },
  { name: 'Two-Person Camping Tent', categorySlug: 'sports-outdoors', priceCents: 17900, stock: 2 },
  { name: 'Merino Wool Sweater', categorySlug: 'clothing', priceCents: 7900, stock: 7 },
  { name: 'Classic Denim Jacket', categorySlug: 'clothing', priceCents: 9800, stock: 0 },
  { name: 'Trail Running Shoes', categorySlug: 'clothing', priceCents: 11000, stock: 13 },
  { name: 'Cotton Crew T-Shirt', categorySlug: 'clothing', priceCents: 1500, stock: 50 },
  { name: 'Packable Rain Jacket', categorySlug: 'clothing', priceCents: 6500, stock: 6 },
];

/** Inserts the fixture; returns product ids by name. */
export async function seedAssistantCatalog(db: Db): Promise<Map<string, number>> {
  for (const c of FIXTURE_CATEGORIES) {
    const exists = await db
      .selectFrom('categories')
      .select('id')
      .where('slug', '=', c.slug)
      .executeTakeFirst();
    if (!exists) await db.insertInto('categories').values(c).execute();
  }
  const ids = new Map<string, number>();
  for (const p of FIXTURE_PRODUCTS) ids.set(p.name, await createProduct(db, p));
  return ids;
}

type Injector = { inject: FastifyInstance['inject'] };

let clients = 0;

/** A client address of its own, as a new visitor would have (guests' daily caps count per address too). */
export function newClientAddress(): string {
  clients++;
  return `10.${(process.pid >> 8) & 255}.${Math.floor(clients / 250) % 250}.${(clients % 250) + 1}`;
}

export interface Chat {
  id: string;
  headers: Record<string, string>;
  /** The client address the chat's requests come from. */
  address?: string;
}

/**
 * Opens a chat session as the given caller (bearer headers, or a guest cookie header), from a client
 * address of its own unless one is given.
 */
export async function openChat(
  app: Injector,
  headers: Record<string, string> = {},
  address = newClientAddress(),
): Promise<Chat> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/assistant/sessions',
    headers,
    remoteAddress: address,
  });
  if (res.statusCode !== 201) throw new Error(`session not created: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'cartwise_guest');
  const callerHeaders = cookie ? { ...headers, cookie: `cartwise_guest=${cookie.value}` } : headers;
  return { id: res.json().id as string, headers: callerHeaders, address };
}

export async function ask(app: Injector, chat: Chat, message: string) {
  return app.inject({
    method: 'POST',
    url: `/api/assistant/sessions/${chat.id}/messages`,
    headers: chat.headers,
    payload: { message },
    ...(chat.address ? { remoteAddress: chat.address } : {}),
  });
}

/** Puts products in the user's cart (and checks out when an address is given) through the API. */
export async function shop(
  app: Injector,
  headers: Record<string, string>,
  lines: { productId: number; quantity: number }[],
  checkoutAddress?: string,
) {
  for (const line of lines) {
    const res = await app.inject({ method: 'POST', url: '/api/cart/items', headers, payload: line });
    if (res.statusCode !== 200) throw new Error(`add to cart failed: ${res.statusCode} ${res.body}`);
  }
  if (checkoutAddress) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/cart/checkout',
      headers,
      payload: { shippingAddress: checkoutAddress },
    });
    if (res.statusCode !== 201) throw new Error(`checkout failed: ${res.statusCode} ${res.body}`);
    return res.json() as { id: number; number: string; totalCents: number };
  }
  return null;
}

/** Parses a server-sent-events body into its events. */
export function parseSse(body: string): { event: string; data: unknown }[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = block.match(/^event: (.+)$/m)?.[1] ?? 'message';
      const data = block.match(/^data: (.+)$/m)?.[1];
      return { event, data: data ? JSON.parse(data) : null };
    });
}
