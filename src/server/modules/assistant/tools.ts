import { z } from 'zod';
import type { AssistantProductCard } from '../../../contract/assistant.ts';
import type { FulfillmentStatus, PaymentStatus } from '../../../contract/orders.ts';
import { POLICY_TOPICS, searchPolicies } from './policies.ts';
import { formatCents } from './text.ts';

/**
 * The assistant's only window on the shop. Both engines act through these tools, so the same
 * allow-listing and the same rule — the user id comes from the chat session, never from the model
 * or the request — hold whichever engine answers.
 */

export interface StoreProduct extends AssistantProductCard {
  description: string;
}

export interface ProductQuery {
  /** A product matches if its name contains any term (case-insensitive). */
  terms?: string[];
  categorySlug?: string;
  /** Inclusive bounds. */
  minPriceCents?: number;
  maxPriceCents?: number;
  inStock?: boolean;
  /** Only products with no stock left. */
  outOfStock?: boolean;
  sort?: 'name' | 'price' | '-price' | 'stock' | '-stock';
  limit: number;
}

export interface StoreCategory {
  id: number;
  name: string;
  slug: string;
  productCount: number;
}

export interface CartLineView {
  productId: number;
  name: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
  stock: number;
}

export interface OrderView {
  id: number;
  /** The public order number people see (null on the cart); internal ids stay internal. */
  number: string | null;
  status: 'TEMP' | 'CLOSED';
  paymentStatus: PaymentStatus | null;
  fulfillmentStatus: FulfillmentStatus | null;
  /** The provider's payment page while a card payment is awaited. */
  checkoutUrl: string | null;
  shippingAddress: string | null;
  createdAt: string;
  closedAt: string | null;
  totalCents: number;
  lines: CartLineView[];
}

/** A cart change as the database took it: the cart afterwards (null once empty), or why not. */
export type CartChangeOutcome =
  | { ok: true; cart: OrderView | null }
  | { ok: false; reason: 'not_found' | 'not_in_cart' }
  | { ok: false; reason: 'insufficient_stock'; available: number };

export type AddToCartOutcome = CartChangeOutcome;

export type CheckoutOutcome =
  | { ok: true; order: OrderView }
  | { ok: false; reason: 'no_open_order' }
  | {
      ok: false;
      reason: 'insufficient_stock';
      items: { productId: number; requested: number; available: number }[];
    }
  | { ok: false; reason: 'refused'; code: string; message: string };

/** What the assistant needs from the catalog, cart, orders and favorites modules. */
export interface AssistantStore {
  searchProducts(query: ProductQuery): Promise<{ items: StoreProduct[]; total: number }>;
  /** The catalog's ranked free-text search: words over name, description and category, typo-tolerant. */
  searchText(
    text: string,
    limit: number,
  ): Promise<{ items: StoreProduct[]; total: number; didYouMean?: string }>;
  getProduct(id: number): Promise<StoreProduct | null>;
  listCategories(): Promise<StoreCategory[]>;
  getCart(userId: number): Promise<OrderView | null>;
  addToCart(userId: number, productId: number, quantity: number): Promise<AddToCartOutcome>;
  /** Sets the line to `quantity` (adding the product when it is not in the cart); 0 removes it. */
  setCartQuantity(userId: number, productId: number, quantity: number): Promise<CartChangeOutcome>;
  removeFromCart(userId: number, productId: number): Promise<CartChangeOutcome>;
  clearCart(userId: number): Promise<CartChangeOutcome>;
  checkout(
    userId: number,
    input: { shippingAddress: string; idempotencyKey: string | null },
  ): Promise<CheckoutOutcome>;
  listOrders(userId: number): Promise<OrderView[]>;
  listFavorites(userId: number): Promise<StoreProduct[]>;
}

export interface ToolContext {
  /** From the chat session; null for guests. */
  userId: number | null;
  store: AssistantStore;
}

export interface ToolResult {
  /** Allow-listed JSON handed to the model. */
  data: Record<string, unknown>;
  /** Products this result showed, as cards for the UI. */
  products: AssistantProductCard[];
}

export const MAX_TOOL_STEPS = 5;
const MAX_RESULTS = 10;

export function toCard(p: AssistantProductCard): AssistantProductCard {
  return {
    id: p.id,
    name: p.name,
    category: { id: p.category.id, name: p.category.name, slug: p.category.slug },
    priceCents: p.priceCents,
    stock: p.stock,
    imageUrl: p.imageUrl,
  };
}

export function productFacts(p: StoreProduct, withDescription = false) {
  return {
    id: p.id,
    name: p.name,
    category: p.category.name,
    priceCents: p.priceCents,
    price: formatCents(p.priceCents),
    stock: p.stock,
    inStock: p.stock > 0,
    ...(withDescription ? { description: p.description.slice(0, 600) } : {}),
  };
}

export function orderFacts(o: OrderView) {
  return {
    id: o.id,
    ...(o.number ? { number: o.number } : {}),
    status: o.status === 'TEMP' ? 'cart' : 'placed',
    ...(o.status === 'CLOSED'
      ? { paymentStatus: o.paymentStatus, fulfillmentStatus: o.fulfillmentStatus }
      : {}),
    ...(o.checkoutUrl ? { checkoutUrl: o.checkoutUrl } : {}),
    createdAt: o.createdAt,
    closedAt: o.closedAt,
    totalCents: o.totalCents,
    total: formatCents(o.totalCents),
    lines: o.lines.map((l) => ({
      productId: l.productId,
      name: l.name,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
      unitPrice: formatCents(l.unitPriceCents),
      lineTotal: formatCents(l.lineTotalCents),
    })),
  };
}

/** A refused cart change as allow-listed facts. */
export function cartRefusalFacts(outcome: Exclude<CartChangeOutcome, { ok: true }>) {
  return outcome.reason === 'insufficient_stock'
    ? { error: 'insufficient_stock', available: outcome.available }
    : { error: outcome.reason };
}

const SIGN_IN = { error: 'sign_in_required', message: 'The shopper is not signed in.' };

// Optional arguments are nullable rather than omitted so the schemas also satisfy OpenAI's strict
// function-calling mode, which requires every property to be listed as required.
const searchArgs = z.strictObject({
  query: z
    .string()
    .max(200)
    .nullish()
    .describe('Free text over names, descriptions and categories, e.g. "warm hat" (typos are fine)'),
  category: z.string().max(100).nullish().describe('Category slug from list_categories'),
  minPriceCents: z.number().int().min(0).nullish(),
  maxPriceCents: z.number().int().min(0).nullish(),
  inStockOnly: z.boolean().nullish(),
  sort: z
    .enum(['price', '-price', 'name', 'stock', '-stock'])
    .nullish()
    .describe('"-price" = most expensive first'),
});
const productIdArgs = z.strictObject({ productId: z.number().int().positive() });
const policyArgs = z.strictObject({
  question: z.string().min(1).max(300),
  topic: z.enum(POLICY_TOPICS as [string, ...string[]]).nullish(),
});
const addToCartArgs = z.strictObject({
  productId: z.number().int().positive(),
  quantity: z.number().int().min(1).max(99),
});
const ordersArgs = z.strictObject({
  orderId: z.number().int().positive().nullish().describe('One of the shopper’s own order ids'),
});
const noArgs = z.strictObject({});

/** How many ranked matches a filtered free-text search looks through. */
const RANKED_POOL = 200;

const SORTS: Record<NonNullable<ProductQuery['sort']>, (a: StoreProduct, b: StoreProduct) => number> = {
  price: (a, b) => a.priceCents - b.priceCents,
  '-price': (a, b) => b.priceCents - a.priceCents,
  name: (a, b) => a.name.localeCompare(b.name),
  stock: (a, b) => a.stock - b.stock,
  '-stock': (a, b) => b.stock - a.stock,
};

/**
 * The catalog search behind the assistant's and the agents' tool: free text goes through the
 * catalog's ranked, typo-tolerant search (then category, price and stock filters); without text, the
 * shop listing's filters. Out-of-stock products are included unless asked otherwise.
 */
export async function searchCatalogTool(
  ctx: Pick<ToolContext, 'store'>,
  args: {
    query?: string | null;
    category?: string | null;
    minPriceCents?: number | null;
    maxPriceCents?: number | null;
    inStockOnly?: boolean | null;
    sort?: keyof typeof SORTS | null;
  },
  limit: number,
): Promise<{ items: StoreProduct[]; total: number; didYouMean?: string }> {
  const text = (args.query ?? '').trim();
  if (text) {
    const ranked = await ctx.store.searchText(text, RANKED_POOL);
    const category = args.category?.toLowerCase();
    const matching = ranked.items.filter(
      (p) =>
        (!category || p.category.slug === category) &&
        (args.minPriceCents == null || p.priceCents >= args.minPriceCents) &&
        (args.maxPriceCents == null || p.priceCents <= args.maxPriceCents) &&
        (!args.inStockOnly || p.stock > 0),
    );
    if (args.sort) matching.sort(SORTS[args.sort]);
    const filtered = matching.length !== ranked.items.length;
    return {
      items: matching.slice(0, limit),
      total: filtered ? matching.length : ranked.total,
      ...(ranked.didYouMean ? { didYouMean: ranked.didYouMean } : {}),
    };
  }
  return ctx.store.searchProducts({
    categorySlug: args.category ?? undefined,
    minPriceCents: args.minPriceCents ?? undefined,
    maxPriceCents: args.maxPriceCents ?? undefined,
    inStock: args.inStockOnly ?? undefined,
    sort: args.sort ?? undefined,
    limit,
  });
}

interface ToolDefinition<S extends z.ZodType> {
  description: string;
  schema: S;
  run(ctx: ToolContext, args: z.output<S>): Promise<ToolResult>;
}

function tool<S extends z.ZodType>(definition: ToolDefinition<S>): ToolDefinition<S> {
  return definition;
}

export const TOOLS = {
  search_products: tool({
    description:
      'Search the whole catalog, out-of-stock products included, by name words, category, price range (cents). Returns live price and stock.',
    schema: searchArgs,
    async run(ctx, args) {
      const { items, total, didYouMean } = await searchCatalogTool(ctx, args, MAX_RESULTS);
      return {
        data: { total, products: items.map((p) => productFacts(p)), ...(didYouMean ? { didYouMean } : {}) },
        products: items.map(toCard),
      };
    },
  }),
  product_details: tool({
    description: 'One product by id: description, live price and stock.',
    schema: productIdArgs,
    async run(ctx, args) {
      const p = await ctx.store.getProduct(args.productId);
      if (!p) return { data: { error: 'not_found' }, products: [] };
      return { data: { product: productFacts(p, true) }, products: [toCard(p)] };
    },
  }),
  list_categories: tool({
    description: 'All product categories with their slugs and product counts.',
    schema: noArgs,
    async run(ctx) {
      const categories = await ctx.store.listCategories();
      return {
        data: {
          categories: categories.map(({ name, slug, productCount }) => ({ name, slug, productCount })),
        },
        products: [],
      };
    },
  }),
  store_policies: tool({
    description: 'Store policies (shipping, returns, payment, privacy, contact): the most relevant passages.',
    schema: policyArgs,
    async run(_ctx, args) {
      return { data: { passages: searchPolicies(args.question, { topic: args.topic }) }, products: [] };
    },
  }),
  my_cart: tool({
    description: 'The signed-in shopper’s cart with current prices.',
    schema: noArgs,
    async run(ctx) {
      if (ctx.userId === null) return { data: SIGN_IN, products: [] };
      const cart = await ctx.store.getCart(ctx.userId);
      return { data: { cart: cart ? orderFacts(cart) : null }, products: [] };
    },
  }),
  add_to_cart: tool({
    description: 'Add a quantity of a product to the signed-in shopper’s cart. Only when the shopper asks.',
    schema: addToCartArgs,
    async run(ctx, args) {
      if (ctx.userId === null) return { data: SIGN_IN, products: [] };
      const outcome = await ctx.store.addToCart(ctx.userId, args.productId, args.quantity);
      if (!outcome.ok) return { data: cartRefusalFacts(outcome), products: [] };
      return { data: { added: args, cart: outcome.cart && orderFacts(outcome.cart) }, products: [] };
    },
  }),
  my_orders: tool({
    description: 'The signed-in shopper’s placed orders (newest first), or one of them by id.',
    schema: ordersArgs,
    async run(ctx, args) {
      if (ctx.userId === null) return { data: SIGN_IN, products: [] };
      // Only the session user's own orders are ever read; a foreign id simply is not among them.
      const orders = (await ctx.store.listOrders(ctx.userId)).filter((o) => o.status === 'CLOSED');
      if (args.orderId) {
        const order = orders.find((o) => o.id === args.orderId);
        return { data: order ? { order: orderFacts(order) } : { error: 'not_found' }, products: [] };
      }
      return {
        data: { count: orders.length, orders: orders.slice(0, MAX_RESULTS).map(orderFacts) },
        products: [],
      };
    },
  }),
  my_favorites: tool({
    description: 'The signed-in shopper’s favorite products with live price and stock.',
    schema: noArgs,
    async run(ctx) {
      if (ctx.userId === null) return { data: SIGN_IN, products: [] };
      const favorites = await ctx.store.listFavorites(ctx.userId);
      return {
        data: { favorites: favorites.map((p) => productFacts(p)) },
        products: favorites.map(toCard),
      };
    },
  }),
} as const;

export type ToolName = keyof typeof TOOLS;

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(TOOLS, name);
}

/** Validates raw arguments (JSON text from a model) and runs the tool; bad input becomes an error result. */
export async function runTool(ctx: ToolContext, name: string, rawArguments: string): Promise<ToolResult> {
  if (!isToolName(name)) return { data: { error: 'unknown_tool' }, products: [] };
  let parsedJson: unknown;
  try {
    parsedJson = rawArguments.trim() ? JSON.parse(rawArguments) : {};
  } catch {
    return { data: { error: 'invalid_arguments', message: 'Arguments must be a JSON object' }, products: [] };
  }
  const definition = TOOLS[name] as ToolDefinition<z.ZodType>;
  const parsed = definition.schema.safeParse(parsedJson);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`);
    return { data: { error: 'invalid_arguments', issues }, products: [] };
  }
  return definition.run(ctx, parsed.data);
}

function buildToolSpecs() {
  return Object.entries(TOOLS).map(([name, definition]) => {
    const schema = z.toJSONSchema(definition.schema, { target: 'draft-7' }) as {
      properties?: Record<string, unknown>;
      required?: string[];
      $schema?: string;
    };
    delete schema.$schema;
    schema.properties ??= {};
    schema.required = Object.keys(schema.properties);
    return {
      type: 'function' as const,
      function: { name, description: definition.description, parameters: schema, strict: true },
    };
  });
}

let specs: ReturnType<typeof buildToolSpecs> | undefined;

/** JSON-schema function definitions in OpenAI's strict form (built once). */
export function toolSpecs() {
  specs ??= buildToolSpecs();
  return specs;
}
