import type { FastifyBaseLogger } from 'fastify';
import type { Order } from '../../../contract/orders.ts';
import type { Db } from '../../db/database.ts';
import type { DomainEventBus } from '../../domain-events.ts';
import { AppError } from '../../app-error.ts';
import { getProduct, listCategories, listShopProducts, searchCatalog } from '../catalog/service.ts';
import type { ShopListing } from '../catalog/shop-listing.ts';
import type { BehaviourLog } from '../events/service.ts';
import { listFavorites } from '../favorites/service.ts';
import { addCartItem } from '../orders/cart-add.ts';
import { clearCart, getCart, removeCartItem, setCartItemQuantity } from '../orders/cart-service.ts';
import { checkoutCart } from '../orders/checkout.ts';
import { listOrders } from '../orders/history.ts';
import { manualPayments, type PaymentProvider } from '../payments/provider.ts';
import type { AssistantStore, CartChangeOutcome, OrderView, StoreProduct } from './tools.ts';

/** Binds the assistant's tools to the catalog, orders and favorites services. */

export interface StoreDeps {
  db: Db;
  events: DomainEventBus;
  listing: ShopListing;
  behaviour: BehaviourLog;
  log: FastifyBaseLogger;
  /** Checkout's payment and mail wiring; without it (the bench, store tests) orders are paid manually. */
  payments?: PaymentProvider;
  mail?: { nudge(): void };
  /** The shop's public origin, where a payment provider sends the shopper back. */
  publicUrl?: string;
}

function toStoreProduct(p: StoreProduct): StoreProduct {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    category: p.category,
    priceCents: p.priceCents,
    stock: p.stock,
    imageUrl: p.imageUrl,
  };
}

function toOrderView(o: Order): OrderView {
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    paymentStatus: o.paymentStatus,
    fulfillmentStatus: o.fulfillmentStatus,
    checkoutUrl: o.payment?.checkoutUrl ?? null,
    shippingAddress: o.shippingAddress,
    createdAt: o.createdAt,
    closedAt: o.closedAt,
    totalCents: o.totalCents,
    lines: o.lines.map((l) => ({
      productId: l.productId,
      name: l.name,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
      lineTotalCents: l.lineTotalCents,
      stock: l.stock,
    })),
  };
}

/** The cart services' refusals as outcomes; anything else stays an error. */
function cartRefusal(error: unknown): CartChangeOutcome {
  if (!(error instanceof AppError)) throw error;
  if (error.code === 'not_found') return { ok: false, reason: 'not_found' };
  if (error.code === 'not_in_cart' || error.code === 'no_open_order')
    return { ok: false, reason: 'not_in_cart' };
  if (error.code === 'insufficient_stock' || error.code === 'quantity_limit') {
    const inCart = Number(error.extra.inCart ?? 0);
    const limit = Number(error.extra.available ?? error.extra.max ?? 0);
    return { ok: false, reason: 'insufficient_stock', available: Math.max(0, limit - inCart) };
  }
  throw error;
}

async function cartChange(change: () => Promise<Order | null>): Promise<CartChangeOutcome> {
  try {
    const cart = await change();
    return { ok: true, cart: cart ? toOrderView(cart) : null };
  } catch (error) {
    return cartRefusal(error);
  }
}

export function createAssistantStore(deps: StoreDeps): AssistantStore {
  const { db } = deps;
  return {
    async searchProducts(query) {
      const { items, total } = await listShopProducts(deps.listing, {
        terms: query.terms,
        categorySlug: query.categorySlug,
        priceMin: query.minPriceCents,
        priceMax: query.maxPriceCents,
        inStock: query.inStock,
        stockEq: query.outOfStock ? 0 : undefined,
        sort: query.sort ?? 'name',
        page: 1,
        pageSize: query.limit,
      });
      return { items: items.map(toStoreProduct), total };
    },
    async searchText(text, limit) {
      const found = await searchCatalog(deps.listing, text, { page: 1, pageSize: limit });
      return {
        items: found.items.map(toStoreProduct),
        total: found.total,
        ...(found.didYouMean ? { didYouMean: found.didYouMean } : {}),
      };
    },
    async getProduct(id) {
      const product = await getProduct(db, id);
      return product ? toStoreProduct(product) : null;
    },
    async listCategories() {
      const categories = await listCategories(db, deps.listing);
      return categories.map(({ id, name, slug, productCount }) => ({ id, name, slug, productCount }));
    },
    async getCart(userId) {
      const cart = await getCart(deps, userId);
      return cart ? toOrderView(cart) : null;
    },
    addToCart(userId, productId, quantity) {
      return cartChange(() => addCartItem(deps, userId, { productId, quantity }));
    },
    async setCartQuantity(userId, productId, quantity) {
      const set = await cartChange(() => setCartItemQuantity(deps, userId, productId, quantity));
      if (set.ok || set.reason !== 'not_in_cart' || quantity === 0) return set;
      // Not in the cart yet: setting the line means adding it, under the same stock rules.
      const added = await cartChange(() => addCartItem(deps, userId, { productId, quantity }));
      if (!added.ok && added.reason === 'insufficient_stock') {
        const product = await getProduct(db, productId);
        return { ok: false, reason: 'insufficient_stock', available: product?.stock ?? 0 };
      }
      return added;
    },
    removeFromCart(userId, productId) {
      return cartChange(() => removeCartItem(deps, userId, productId));
    },
    clearCart(userId) {
      return cartChange(async () => {
        await clearCart(deps, userId);
        return null;
      });
    },
    async checkout(userId, input) {
      try {
        const returnUrl = (orderNumber: string) =>
          `${deps.publicUrl ?? ''}/orders?order=${encodeURIComponent(orderNumber)}`;
        const ordersCtx = {
          ...deps,
          payments: deps.payments ?? manualPayments,
          mail: deps.mail ?? { nudge() {} },
        };
        return {
          ok: true,
          order: toOrderView(await checkoutCart(ordersCtx, userId, { ...input, returnUrl })),
        };
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error.code === 'no_open_order') return { ok: false, reason: 'no_open_order' };
        if (error.code === 'insufficient_stock') {
          const items = (error.extra.items ?? []) as {
            productId: number;
            requested: number;
            available: number;
          }[];
          return { ok: false, reason: 'insufficient_stock', items };
        }
        if (error.status < 500)
          return { ok: false, reason: 'refused', code: error.code, message: error.message };
        throw error;
      }
    },
    async listOrders(userId) {
      return (await listOrders(db, userId)).map(toOrderView);
    },
    async listFavorites(userId) {
      return (await listFavorites(deps, userId)).map(toStoreProduct);
    },
  };
}
