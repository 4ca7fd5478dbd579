import type { FastifyBaseLogger } from 'fastify';
import type { Order } from '../../../contract/orders.ts';
import type { Db } from '../../db/database.ts';
import type { DomainEventBus } from '../../domain-events.ts';
import { AppError } from '../../app-error.ts';
import { getProduct, listCategories, listShopProducts } from '../catalog/service.ts';
import type { ShopListing } from '../catalog/shop-listing.ts';
import type { BehaviourLog } from '../events/service.ts';
import { listFavorites } from '../favorites/service.ts';
import { addCartItem, getCart } from '../orders/cart-service.ts';
import { listOrders } from '../orders/history.ts';
import type { AssistantStore, OrderView, StoreProduct } from './tools.ts';

/** Binds the assistant's tools to the catalog, orders and favorites services. */

export interface StoreDeps {
  db: Db;
  events: DomainEventBus;
  listing: ShopListing;
  behaviour: BehaviourLog;
  log: FastifyBaseLogger;
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
    status: o.status,
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
        sort: query.sort ?? 'name',
        page: 1,
        pageSize: query.limit,
      });
      return { items: items.map(toStoreProduct), total };
    },
    async getProduct(id) {
      const product = await getProduct(db, id);
      return product ? toStoreProduct(product) : null;
    },
    async listCategories() {
      const categories = await listCategories(db);
      return categories.map(({ id, name, slug, productCount }) => ({ id, name, slug, productCount }));
    },
    async getCart(userId) {
      const cart = await getCart(deps, userId);
      return cart ? toOrderView(cart) : null;
    },
    async addToCart(userId, productId, quantity) {
      try {
        return { ok: true, cart: toOrderView(await addCartItem(deps, userId, { productId, quantity })) };
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error.code === 'not_found') return { ok: false, reason: 'not_found' };
        if (error.code === 'insufficient_stock' || error.code === 'quantity_limit') {
          const inCart = Number(error.extra.inCart ?? 0);
          const limit = Number(error.extra.available ?? error.extra.max ?? 0);
          return { ok: false, reason: 'insufficient_stock', available: Math.max(0, limit - inCart) };
        }
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
