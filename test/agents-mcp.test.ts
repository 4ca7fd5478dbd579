import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp } from './support/app.ts';
import { seedAssistantCatalog } from './support/assistant-catalog.ts';
import { describeEachDialect } from './support/databases.ts';
import { connectAgent } from './support/mcp-client.ts';

/**
 * The MCP endpoint through the SDK's own client over real HTTP: the app listens on 127.0.0.1, the
 * client speaks Streamable HTTP to /mcp, and the REST API is asked afterwards whether it agrees.
 */

const EVERY_TOOL = [
  'complete_checkout',
  'get_cart',
  'get_order',
  'get_product',
  'list_categories',
  'list_orders',
  'search_catalog',
  'search_policies',
  'update_cart',
];

describeEachDialect('MCP endpoint for outside agents', (dialect) => {
  let t: TestApp;
  let ids: Map<string, number>;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { MCP_RATE_LIMIT_PER_MINUTE: '100000' });
    ids = await seedAssistantCatalog(t.db);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  const rest = (url: string, headers: Record<string, string>) =>
    t.app.inject({ url, headers }).then((r) => r.json());

  it('lists every tool with its input schema', async () => {
    const agent = await connectAgent(baseUrl);
    const { tools } = await agent.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(EVERY_TOOL);
    const update = tools.find((tool) => tool.name === 'update_cart');
    expect(update?.inputSchema.required?.sort()).toEqual(['productId', 'quantity']);
    const checkout = tools.find((tool) => tool.name === 'complete_checkout');
    expect(checkout?.inputSchema.required?.sort()).toEqual(['idempotencyKey', 'shippingAddress']);
    await agent.close();
  });

  it('serves catalog tools to anyone, with product page URLs and structured content', async () => {
    const agent = await connectAgent(baseUrl);
    const found = await agent.call('search_catalog', { query: 'headphnoes', maxPriceCents: 20_000 });
    expect(found.isError).toBeFalsy();
    const products = found.structuredContent.products as { id: number; name: string; url: string }[];
    const headphones = ids.get('Aurora Wireless Headphones')!;
    expect(products[0]).toMatchObject({
      id: headphones,
      name: 'Aurora Wireless Headphones',
      priceCents: 12999,
    });
    expect(products[0].url).toBe(`${baseUrl}/products/${headphones}`);
    expect(JSON.parse((found.content[0] as { text: string }).text)).toEqual(found.structuredContent);

    const filtered = await agent.call('search_catalog', { category: 'books', inStockOnly: true, limit: 2 });
    const books = filtered.structuredContent.products as { category: string; stock: number }[];
    expect(books).toHaveLength(2);
    for (const b of books) expect(b).toMatchObject({ category: 'Books' });
    for (const b of books) expect(b.stock).toBeGreaterThan(0);

    const one = await agent.call('get_product', { productId: headphones });
    expect(one.structuredContent.product).toMatchObject({ id: headphones, stock: 14, inStock: true });
    const product = one.structuredContent.product as Record<string, unknown>;
    // Allow-listed fields only.
    expect(Object.keys(product).sort()).toEqual(
      ['category', 'description', 'id', 'inStock', 'name', 'price', 'priceCents', 'stock', 'url'].sort(),
    );
    const missing = await agent.call('get_product', { productId: 999_999 });
    expect(missing.isError).toBe(true);
    expect(missing.structuredContent).toMatchObject({ error: { code: 'not_found' } });

    const categories = await agent.call('list_categories');
    const listed = categories.structuredContent.categories as { slug: string; productCount: number }[];
    const restCategories = await rest('/api/categories', {});
    expect(listed.map((c) => [c.slug, c.productCount])).toEqual(
      restCategories.map((c: { slug: string; productCount: number }) => [c.slug, c.productCount]),
    );

    const policies = await agent.call('search_policies', { query: 'how long do returns take?' });
    expect(JSON.stringify(policies.structuredContent)).toContain('30 days');
    await agent.close();
  });

  it('refuses every sign-in tool to guests with a tool error, and ignores session cookies', async () => {
    const user = await createUser(t.db);
    const agent = await connectAgent(baseUrl);
    for (const [name, args] of [
      ['get_cart', {}],
      ['update_cart', { productId: 1, quantity: 1 }],
      ['complete_checkout', { shippingAddress: '1 Main St', idempotencyKey: 'k' }],
      ['list_orders', {}],
      ['get_order', { orderId: 1 }],
    ] as const) {
      const result = await agent.call(name, args);
      expect(result.isError, name).toBe(true);
      expect(result.structuredContent, name).toMatchObject({ error: { code: 'sign_in_required' } });
    }
    await agent.close();
    // A cookie (what a browser would attach) is not an identity here.
    const res = await fetch(`${baseUrl}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        cookie: `cartwise_session=${user.token}`,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'get_cart', arguments: {} },
      }),
    });
    const body = await res.json();
    expect(body.result).toMatchObject({
      isError: true,
      structuredContent: { error: { code: 'sign_in_required' } },
    });
  });

  it('sets cart lines with the API’s stock rules, and the REST cart agrees', async () => {
    const user = await createUser(t.db);
    const agent = await connectAgent(baseUrl, user.token);
    const skillet = ids.get('Cast Iron Skillet')!;
    const mug = ids.get('Ceramic Coffee Mug')!;
    const added = await agent.call('update_cart', { productId: skillet, quantity: 3 });
    expect(added.isError).toBeFalsy();
    expect(added.structuredContent.cart).toMatchObject({ lines: [{ productId: skillet, quantity: 3 }] });
    await agent.call('update_cart', { productId: mug, quantity: 2 });
    const set = await agent.call('update_cart', { productId: skillet, quantity: 1 });
    expect(set.structuredContent.cart).toMatchObject({ totalCents: 3995 + 2 * 1250 });

    const tooMany = await agent.call('update_cart', { productId: skillet, quantity: 26 });
    expect(tooMany.structuredContent).toMatchObject({ error: { code: 'insufficient_stock' } });
    const soldOut = await agent.call('update_cart', {
      productId: ids.get('Bamboo Cutting Board')!,
      quantity: 1,
    });
    expect(soldOut.structuredContent).toMatchObject({ error: { code: 'insufficient_stock' } });
    const unknown = await agent.call('update_cart', { productId: 999_999, quantity: 1 });
    expect(unknown.structuredContent).toMatchObject({ error: { code: 'not_found' } });
    const invalid = await agent.call('update_cart', { productId: skillet, quantity: -1 });
    expect(invalid.isError).toBe(true);

    const removed = await agent.call('update_cart', { productId: mug, quantity: 0 });
    expect(removed.structuredContent.cart).toMatchObject({ lines: [{ productId: skillet, quantity: 1 }] });
    const cart = (await rest('/api/cart', user.headers)).order;
    expect(cart.lines.map((l: { productId: number; quantity: number }) => [l.productId, l.quantity])).toEqual(
      [[skillet, 1]],
    );
    const viaTool = await agent.call('get_cart');
    expect((viaTool.structuredContent.cart as { totalCents: number }).totalCents).toBe(cart.totalCents);
    await agent.close();
  });

  it('checks out once per idempotency key; orders agree with REST and stay private', async () => {
    const user = await createUser(t.db);
    const other = await createUser(t.db);
    const agent = await connectAgent(baseUrl, user.token);
    const bottle = ids.get('Aqua Insulated Water Bottle')!;
    const before = (await rest(`/api/products/${bottle}`, {})).stock;
    await agent.call('update_cart', { productId: bottle, quantity: 2 });
    const args = { shippingAddress: '12 Harbour Road, Portsmouth', idempotencyKey: 'agent-order-1' };
    const [first, again] = [
      await agent.call('complete_checkout', args),
      await agent.call('complete_checkout', args),
    ];
    expect(first.isError).toBeFalsy();
    const order = first.structuredContent.order as { id: number; status: string; totalCents: number };
    expect(order).toMatchObject({ status: 'placed', totalCents: 2 * 2299 });
    expect((again.structuredContent.order as { id: number }).id).toBe(order.id);
    expect((await rest(`/api/products/${bottle}`, {})).stock).toBe(before - 2);
    expect((await rest('/api/cart', user.headers)).order).toBeNull();
    const empty = await agent.call('complete_checkout', { ...args, idempotencyKey: 'agent-order-2' });
    expect(empty.structuredContent).toMatchObject({ error: { code: 'no_open_order' } });

    const listed = await agent.call('list_orders');
    const restOrders = (await rest('/api/orders', user.headers)).filter(
      (o: { status: string }) => o.status === 'CLOSED',
    );
    expect((listed.structuredContent.orders as { id: number }[]).map((o) => o.id)).toEqual(
      restOrders.map((o: { id: number }) => o.id),
    );
    const got = await agent.call('get_order', { orderId: order.id });
    expect(got.structuredContent.order).toMatchObject({
      id: order.id,
      totalCents: restOrders[0].totalCents,
      shippingAddress: '12 Harbour Road, Portsmouth',
    });
    await agent.close();

    // Another shopper's agent sees none of it.
    const stranger = await connectAgent(baseUrl, other.token);
    const foreign = await stranger.call('get_order', { orderId: order.id });
    expect(foreign.structuredContent).toMatchObject({ error: { code: 'not_found' } });
    expect((await stranger.call('list_orders')).structuredContent.orders).toEqual([]);
    expect((await stranger.call('get_cart')).structuredContent.cart).toBeNull();
    await stranger.close();
  });

  it('acts with a personal access token, and a read-only one may not change the cart', async () => {
    const user = await createUser(t.db);
    const mint = async (scope: 'read' | 'shop') => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/me/tokens',
        headers: user.headers,
        payload: { name: `agent ${scope}`, scope, expiresInDays: 7, currentPassword: user.password },
      });
      expect(res.statusCode).toBe(201);
      return res.json().secret as string;
    };
    const mug = ids.get('Ceramic Coffee Mug')!;
    const shopper = await connectAgent(baseUrl, await mint('shop'));
    const added = await shopper.call('update_cart', { productId: mug, quantity: 2 });
    expect(added.isError).toBeFalsy();
    expect((await rest('/api/cart', user.headers)).order.lines[0]).toMatchObject({
      productId: mug,
      quantity: 2,
    });
    await shopper.close();

    const reader = await connectAgent(baseUrl, await mint('read'));
    expect((await reader.call('get_cart')).structuredContent.cart).toMatchObject({
      lines: [{ quantity: 2 }],
    });
    const refused = await reader.call('update_cart', { productId: mug, quantity: 5 });
    expect(refused.structuredContent).toMatchObject({ error: { code: 'insufficient_scope' } });
    const checkout = await reader.call('complete_checkout', { shippingAddress: 'x', idempotencyKey: 'y' });
    expect(checkout.structuredContent).toMatchObject({ error: { code: 'insufficient_scope' } });
    expect((await rest('/api/cart', user.headers)).order.lines[0].quantity).toBe(2);
    await reader.close();
  });

  it('answers a bad token as a guest and refuses non-POST methods', async () => {
    const agent = await connectAgent(baseUrl, 'not-a-real-token');
    expect((await agent.call('get_cart')).structuredContent).toMatchObject({
      error: { code: 'sign_in_required' },
    });
    expect((await agent.call('list_categories')).isError).toBeFalsy();
    await agent.close();
    expect((await fetch(`${baseUrl}/mcp`)).status).toBe(405);
  });
});

describe('MCP rate limit', () => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { MCP_RATE_LIMIT_PER_MINUTE: '4' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  it('limits requests per client', async () => {
    // connect = initialize + initialized notification: two requests.
    const agent = await connectAgent(baseUrl);
    await agent.call('list_categories');
    await agent.call('list_categories');
    await expect(agent.call('list_categories')).rejects.toThrow(/429/);
    await agent.close();
  });
});
