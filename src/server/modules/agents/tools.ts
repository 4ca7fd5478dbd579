import { z } from 'zod';
import { searchPolicies } from '../assistant/policies.ts';
import {
  type AssistantStore,
  cartRefusalFacts,
  type OrderView,
  orderFacts,
  productFacts,
  type StoreProduct,
  searchCatalogTool,
} from '../assistant/tools.ts';

/**
 * The tools outside AI agents call over MCP (API.md, "Agents"). They run on the assistant's store
 * bindings — the same catalog, cart and order services, validation, limits and allow-listed
 * fields — with the identity of the HTTP request's bearer token, never one from the arguments.
 */

export interface AgentCaller {
  userId: number | null;
  /** Whether the token may change the cart and check out (a login session, or a `shop` token). */
  canWrite: boolean;
}

export interface AgentContext {
  caller: AgentCaller;
  store: AssistantStore;
  /** The shop's origin, for product page URLs ("https://shop.example"). */
  origin: string;
}

/** What a tool answers: allow-listed JSON, or a tool error with a stable code. */
export type AgentResult = { ok: true; data: Record<string, unknown> } | { ok: false; error: AgentError };

export interface AgentError {
  code: string;
  message: string;
  [key: string]: unknown;
}

const MAX_LIMIT = 50;

const fail = (code: string, message: string, extra: Record<string, unknown> = {}): AgentResult => ({
  ok: false,
  error: { code, message, ...extra },
});

const SIGN_IN = () =>
  fail(
    'sign_in_required',
    'This tool needs the shopper: send Authorization: Bearer <session or personal access token>.',
  );

function productUrl(ctx: AgentContext, productId: number): string {
  return new URL(`/products/${productId}`, ctx.origin).href;
}

function product(ctx: AgentContext, p: StoreProduct, withDescription = false) {
  return { ...productFacts(p, withDescription), url: productUrl(ctx, p.id) };
}

function order(ctx: AgentContext, o: OrderView) {
  const facts = orderFacts(o);
  return {
    ...facts,
    ...(o.status === 'CLOSED' ? { shippingAddress: o.shippingAddress } : {}),
    lines: facts.lines.map((l) => ({ ...l, url: productUrl(ctx, l.productId) })),
  };
}

const id = z.number().int().positive().max(2_147_483_647);
const nonBlank = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => s.trim().length > 0, 'Must not be blank');

export const AGENT_TOOLS = {
  search_catalog: {
    description:
      'Search the shop: free text over product names, descriptions and categories (typo-tolerant, ranked), ' +
      'optionally filtered by category slug, price range in cents and stock. Out-of-stock products are included unless inStockOnly.',
    needsUser: false,
    input: {
      query: z.string().max(200).optional(),
      category: z.string().max(100).optional().describe('A category slug from list_categories'),
      minPriceCents: z.number().int().min(0).max(100_000_000).optional(),
      maxPriceCents: z.number().int().min(0).max(100_000_000).optional(),
      inStockOnly: z.boolean().optional(),
      limit: z.number().int().min(1).max(MAX_LIMIT).optional().describe(`1–${MAX_LIMIT}, default 10`),
    },
    async run(
      ctx: AgentContext,
      args: {
        query?: string;
        category?: string;
        minPriceCents?: number;
        maxPriceCents?: number;
        inStockOnly?: boolean;
        limit?: number;
      },
    ): Promise<AgentResult> {
      const found = await searchCatalogTool(ctx, args, args.limit ?? 10);
      return {
        ok: true,
        data: {
          total: found.total,
          products: found.items.map((p) => product(ctx, p)),
          ...(found.didYouMean ? { didYouMean: found.didYouMean } : {}),
        },
      };
    },
  },
  get_product: {
    description: 'One product by id: description, live price (cents) and stock, and its page URL.',
    needsUser: false,
    input: { productId: id },
    async run(ctx: AgentContext, args: { productId: number }): Promise<AgentResult> {
      const p = await ctx.store.getProduct(args.productId);
      return p
        ? { ok: true, data: { product: product(ctx, p, true) } }
        : fail('not_found', 'No such product');
    },
  },
  list_categories: {
    description: 'All product categories with their slugs and product counts.',
    needsUser: false,
    input: {},
    async run(ctx: AgentContext): Promise<AgentResult> {
      const categories = await ctx.store.listCategories();
      return {
        ok: true,
        data: {
          categories: categories.map(({ name, slug, productCount }) => ({ name, slug, productCount })),
        },
      };
    },
  },
  search_policies: {
    description:
      'The store policies (shipping, returns, payment, privacy, contact) most relevant to a question.',
    needsUser: false,
    input: { query: nonBlank(300) },
    async run(_ctx: AgentContext, args: { query: string }): Promise<AgentResult> {
      return { ok: true, data: { passages: searchPolicies(args.query) } };
    },
  },
  get_cart: {
    description: 'The shopper’s cart with current prices (null when empty).',
    needsUser: true,
    input: {},
    async run(ctx: AgentContext, _args: unknown, userId: number): Promise<AgentResult> {
      const cart = await ctx.store.getCart(userId);
      return { ok: true, data: { cart: cart ? order(ctx, cart) : null } };
    },
  },
  update_cart: {
    description:
      'Set the quantity of a product in the shopper’s cart (0 removes the line; a product not in the cart is added). ' +
      'Refused beyond the stock available.',
    needsUser: true,
    writes: true,
    input: { productId: id, quantity: z.number().int().min(0).max(99) },
    async run(ctx: AgentContext, args: { productId: number; quantity: number }, userId: number) {
      const outcome = await ctx.store.setCartQuantity(userId, args.productId, args.quantity);
      if (!outcome.ok) {
        const { error, ...extra } = cartRefusalFacts(outcome);
        const messages: Record<string, string> = {
          not_found: 'No such product',
          not_in_cart: 'That product is not in the cart',
          insufficient_stock: 'Not that many are in stock',
        };
        return fail(error, messages[error] ?? error, extra);
      }
      return { ok: true, data: { cart: outcome.cart ? order(ctx, outcome.cart) : null } } as AgentResult;
    },
  },
  complete_checkout: {
    description:
      'Place the order for the shopper’s cart, shipped to shippingAddress. idempotencyKey is required: repeating a call ' +
      'with the same key returns the same order and never charges or decrements stock twice.',
    needsUser: true,
    writes: true,
    input: { shippingAddress: nonBlank(300), idempotencyKey: nonBlank(200) },
    async run(
      ctx: AgentContext,
      args: { shippingAddress: string; idempotencyKey: string },
      userId: number,
    ): Promise<AgentResult> {
      const outcome = await ctx.store.checkout(userId, {
        shippingAddress: args.shippingAddress.trim(),
        idempotencyKey: args.idempotencyKey,
      });
      if (outcome.ok) return { ok: true, data: { order: order(ctx, outcome.order) } };
      if (outcome.reason === 'no_open_order') return fail('no_open_order', 'The cart is empty');
      if (outcome.reason === 'insufficient_stock') {
        return fail('insufficient_stock', 'Some items are no longer available in that quantity', {
          items: outcome.items,
        });
      }
      return fail(outcome.code, outcome.message);
    },
  },
  list_orders: {
    description: 'The shopper’s placed orders, newest first.',
    needsUser: true,
    input: {},
    async run(ctx: AgentContext, _args: unknown, userId: number): Promise<AgentResult> {
      const orders = (await ctx.store.listOrders(userId)).filter((o) => o.status === 'CLOSED');
      return { ok: true, data: { orders: orders.map((o) => order(ctx, o)) } };
    },
  },
  get_order: {
    description: 'One of the shopper’s placed orders by id.',
    needsUser: true,
    input: { orderId: id },
    async run(ctx: AgentContext, args: { orderId: number }, userId: number): Promise<AgentResult> {
      // Only the caller's own orders are read: another user's id is simply not among them.
      const found = (await ctx.store.listOrders(userId)).find(
        (o) => o.status === 'CLOSED' && o.id === args.orderId,
      );
      return found ? { ok: true, data: { order: order(ctx, found) } } : fail('not_found', 'No such order');
    },
  },
} as const;

export type AgentToolName = keyof typeof AGENT_TOOLS;

/** Runs a tool for a caller, refusing sign-in tools to guests and writes to read-only tokens. */
export async function runAgentTool(
  ctx: AgentContext,
  name: AgentToolName,
  args: unknown,
): Promise<AgentResult> {
  const tool = AGENT_TOOLS[name] as {
    needsUser: boolean;
    writes?: boolean;
    run(ctx: AgentContext, args: unknown, userId: number): Promise<AgentResult>;
  };
  if (!tool.needsUser) return tool.run(ctx, args, 0);
  if (ctx.caller.userId === null) return SIGN_IN();
  if (tool.writes && !ctx.caller.canWrite)
    return fail('insufficient_scope', 'This access token may only read');
  return tool.run(ctx, args, ctx.caller.userId);
}
