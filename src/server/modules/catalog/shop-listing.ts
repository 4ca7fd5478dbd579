import { performance } from 'node:perf_hooks';
import type { Product, ProductSort } from '../../../contract/catalog.ts';
import type { Db } from '../../db/database.ts';
import { metrics } from '../../http/metrics.ts';
import {
  countLiveProducts,
  type ListedProductRow,
  type ProductFilter,
  selectListedProducts,
} from './queries.ts';
import { toProduct } from './product-views.ts';

/**
 * The shop's product listing, held in memory and filtered, sorted and paged there: a catalog page
 * costs no database round trip. It is at most `maxAgeMs` behind the database; a write made through
 * this process's admin API is visible to the next listing at once (`invalidate`). See
 * docs/decisions/090-shop-listing-in-memory.md.
 */

export type ListingFilter = Omit<ProductFilter, 'ids' | 'archived'>;

export interface ListedProduct {
  product: Product;
  /** `product` serialized as the shop API shows it to a guest. */
  json: string;
  /** The name lower-cased: what search terms and the name sort compare. */
  nameKey: string;
  createdAt: number;
}

export interface ListingPage {
  items: ListedProduct[];
  total: number;
}

/**
 * How far back an incremental refresh looks past the newest change it has seen: a write whose
 * transaction commits later than this after its timestamp, or an instance whose clock runs this far
 * behind, would be missed until the next full reload.
 */
const CHANGE_OVERLAP_MS = 5_000;

/** A full read now and then, as a safety net for anything the incremental refresh cannot see. */
const FULL_RELOAD_EVERY_MS = 5 * 60_000;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
type Compare = (a: ListedProduct, b: ListedProduct) => number;

// Same orders as the SQL listing (queries.ts orderBy): ties broken by id.
const COMPARE: Record<ProductSort, Compare> = {
  name: (a, b) => byText(a.nameKey, b.nameKey) || a.product.id - b.product.id,
  '-name': (a, b) => byText(b.nameKey, a.nameKey) || a.product.id - b.product.id,
  price: (a, b) => a.product.priceCents - b.product.priceCents || a.product.id - b.product.id,
  '-price': (a, b) => b.product.priceCents - a.product.priceCents || a.product.id - b.product.id,
  stock: (a, b) => a.product.stock - b.product.stock || a.product.id - b.product.id,
  '-stock': (a, b) => b.product.stock - a.product.stock || a.product.id - b.product.id,
  newest: (a, b) => b.createdAt - a.createdAt || b.product.id - a.product.id,
};

function toListed(row: ListedProductRow): ListedProduct {
  const product = toProduct(row, null);
  return {
    product,
    json: JSON.stringify(product),
    nameKey: row.name.toLowerCase(),
    createdAt: row.created_at,
  };
}

/** A filter as inclusive integer ranges, so that checking a product is four comparisons. */
interface Bounds {
  priceMin: number;
  priceMax: number;
  stockMin: number;
  stockMax: number;
  terms: string[];
}

function boundsOf(f: ListingFilter): Bounds | null {
  const b: Bounds = {
    priceMin: Math.max(f.priceMin ?? 0, f.priceGt === undefined ? 0 : f.priceGt + 1, f.priceEq ?? 0),
    priceMax: Math.min(
      f.priceMax ?? Number.MAX_SAFE_INTEGER,
      f.priceLt === undefined ? Number.MAX_SAFE_INTEGER : f.priceLt - 1,
      f.priceEq ?? Number.MAX_SAFE_INTEGER,
    ),
    stockMin: Math.max(f.inStock ? 1 : 0, f.stockGt === undefined ? 0 : f.stockGt + 1, f.stockEq ?? 0),
    stockMax: Math.min(
      f.stockLt === undefined ? Number.MAX_SAFE_INTEGER : f.stockLt - 1,
      f.stockEq ?? Number.MAX_SAFE_INTEGER,
    ),
    terms: (f.terms ?? []).map((t) => t.toLowerCase()),
  };
  const unbounded =
    b.priceMin === 0 &&
    b.stockMin === 0 &&
    b.priceMax === Number.MAX_SAFE_INTEGER &&
    b.stockMax === Number.MAX_SAFE_INTEGER &&
    b.terms.length === 0;
  return unbounded ? null : b;
}

/** The largest i with sorted[i] <= value (sorted ascending, sorted[0] <= value). */
function lastAtOrBefore(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Products in one order, with their price and stock in typed arrays for the filter loop. */
class View {
  readonly items: ListedProduct[];
  #prices: Float64Array;
  #stocks: Float64Array;
  #columnsStale = false;
  #names: string | null = null;
  #starts = new Int32Array(0);

  constructor(items: ListedProduct[]) {
    this.items = items;
    this.#prices = new Float64Array(items.length);
    this.#stocks = new Float64Array(items.length);
    this.#fillColumns();
  }

  /**
   * Which products' names contain any of the terms: one `indexOf` pass per term over all names
   * joined, instead of one `includes` per product and term.
   */
  #containingAny(terms: readonly string[]): Uint8Array {
    if (this.#names === null) {
      this.#starts = new Int32Array(this.items.length + 1);
      let offset = 0;
      for (let i = 0; i < this.items.length; i++) {
        this.#starts[i] = offset;
        offset += this.items[i].nameKey.length + 1;
      }
      this.#starts[this.items.length] = offset;
      this.#names = this.items.map((p) => p.nameKey).join('\n');
    }
    const names = this.#names;
    const starts = this.#starts;
    const hits = new Uint8Array(this.items.length);
    for (const term of terms) {
      if (term === '') return hits.fill(1);
      let from = 0;
      for (;;) {
        const at = names.indexOf(term, from);
        if (at < 0) break;
        const i = lastAtOrBefore(starts, at);
        // A match that runs over the separator into the next name is not a match.
        if (at + term.length <= starts[i] + this.items[i].nameKey.length) {
          hits[i] = 1;
          from = starts[i + 1];
        } else from = at + 1;
      }
    }
    return hits;
  }

  /** A product's stock changed in place: the order holds, the columns must be read again. */
  stockChanged(): void {
    this.#columnsStale = true;
  }

  #fillColumns(): void {
    for (let i = 0; i < this.items.length; i++) {
      this.#prices[i] = this.items[i].product.priceCents;
      this.#stocks[i] = this.items[i].product.stock;
    }
    this.#columnsStale = false;
  }

  page(bounds: Bounds | null, start: number, size: number): ListingPage {
    if (!bounds) return { items: this.items.slice(start, start + size), total: this.items.length };
    if (this.#columnsStale) this.#fillColumns();
    const { priceMin, priceMax, stockMin, stockMax, terms } = bounds;
    const prices = this.#prices;
    const stocks = this.#stocks;
    const named = terms.length > 0 ? this.#containingAny(terms) : null;
    const items: ListedProduct[] = [];
    let total = 0;
    for (let i = 0; i < prices.length; i++) {
      const price = prices[i];
      const stock = stocks[i];
      if (price < priceMin || price > priceMax || stock < stockMin || stock > stockMax) continue;
      if (named && named[i] === 0) continue;
      if (total >= start && items.length < size) items.push(this.items[i]);
      total++;
    }
    return { items, total };
  }
}

export class ShopListing {
  readonly #db: Db;
  readonly #maxAgeMs: number;
  #products = new Map<number, ListedProduct>();
  /** Sorted views, built on first use: by sort, and by sort within one category. */
  #views = new Map<string, View>();
  #slugs: Set<string> | null = null;
  #loaded = false;
  #reloadedAt = Number.NEGATIVE_INFINITY;
  /** The newest `updated_at` read so far. */
  #watermark = 0;
  /** When the newest completed refresh started (performance.now()). */
  #freshAsOf = Number.NEGATIVE_INFINITY;
  /** Listings must reflect a refresh started at or after this (set by `invalidate`). */
  #notBefore = Number.NEGATIVE_INFINITY;
  #refreshing: { startedAt: number; done: Promise<void> } | null = null;

  constructor(db: Db, options: { maxAgeMs: number }) {
    this.#db = db;
    this.#maxAgeMs = options.maxAgeMs;
  }

  /** The catalog changed through this process: the next listing reads it again. */
  invalidate(): void {
    this.#notBefore = performance.now();
  }

  async page(filter: ListingFilter, sort: ProductSort, page: number, pageSize: number): Promise<ListingPage> {
    await this.#catchUp();
    const view = this.#view(sort, filter.categorySlug);
    return view ? view.page(boundsOf(filter), (page - 1) * pageSize, pageSize) : { items: [], total: 0 };
  }

  #view(sort: ProductSort, categorySlug: string | undefined): View | null {
    // Only categories that have products get a cached view, so made-up slugs cannot fill memory.
    if (categorySlug !== undefined && !this.#categorySlugs().has(categorySlug)) return null;
    const key = categorySlug === undefined ? sort : `${sort}\u0000${categorySlug}`;
    let view = this.#views.get(key);
    if (!view) {
      view = new View(
        categorySlug === undefined
          ? [...this.#products.values()].sort(COMPARE[sort])
          : (this.#view(sort, undefined) as View).items.filter(
              (p) => p.product.category.slug === categorySlug,
            ),
      );
      this.#views.set(key, view);
    }
    return view;
  }

  #categorySlugs(): Set<string> {
    let slugs = this.#slugs;
    if (!slugs) {
      slugs = new Set([...this.#products.values()].map((p) => p.product.category.slug));
      this.#slugs = slugs;
    }
    return slugs;
  }

  async #catchUp(): Promise<void> {
    const needed = Math.max(performance.now() - this.#maxAgeMs, this.#notBefore);
    for (;;) {
      if (this.#loaded && this.#freshAsOf >= needed) return;
      const running = this.#refreshing;
      if (running && running.startedAt >= needed) return running.done;
      if (running) {
        // Started too early to show what this listing must show: wait for it, then start another.
        await running.done.catch(() => undefined);
        continue;
      }
      const startedAt = performance.now();
      const done = this.#refresh().then(() => {
        this.#freshAsOf = Math.max(this.#freshAsOf, startedAt);
      });
      const refreshing = { startedAt, done };
      this.#refreshing = refreshing;
      done
        .finally(() => {
          if (this.#refreshing === refreshing) this.#refreshing = null;
        })
        .catch(() => undefined);
      return done;
    }
  }

  async #refresh(): Promise<void> {
    // With no staleness allowed, reading everything is the only way to also see rows changed
    // without a new `updated_at` (by hand, or by tests that write to the database directly).
    const due = performance.now() - this.#reloadedAt > FULL_RELOAD_EVERY_MS;
    if (!this.#loaded || this.#maxAgeMs === 0 || due) return this.#reload();
    metrics.shopListingRefreshes.inc({ kind: 'changes' });
    const changed = await selectListedProducts(this.#db, {
      changedSince: this.#watermark - CHANGE_OVERLAP_MS,
    });
    let reorder = false;
    let stockChanged = false;
    for (const row of changed) {
      this.#watermark = Math.max(this.#watermark, row.updated_at);
      const previous = this.#products.get(row.id);
      if (row.archived) {
        reorder ||= this.#products.delete(row.id);
        continue;
      }
      const next = toListed(row);
      if (previous?.json === next.json) continue;
      if (
        previous &&
        previous.nameKey === next.nameKey &&
        previous.createdAt === next.createdAt &&
        previous.product.priceCents === next.product.priceCents &&
        previous.product.category.id === next.product.category.id
      ) {
        // Only stock or wording changed: the sorted views keep this object, so update it in place.
        stockChanged ||= previous.product.stock !== next.product.stock;
        Object.assign(previous, next);
      } else {
        this.#products.set(row.id, next);
        reorder = true;
      }
    }
    // Deletions leave no row behind: a count that disagrees means one happened somewhere.
    if ((await countLiveProducts(this.#db)) !== this.#products.size) return this.#reload();
    if (reorder) this.#forgetViews();
    else if (stockChanged) {
      for (const [key, view] of this.#views) {
        const sort = key.split('\u0000')[0];
        if (sort === 'stock' || sort === '-stock') this.#views.delete(key);
        else view.stockChanged();
      }
    }
  }

  #forgetViews(): void {
    this.#views.clear();
    this.#slugs = null;
  }

  async #reload(): Promise<void> {
    const startedAt = performance.now();
    metrics.shopListingRefreshes.inc({ kind: 'full' });
    const rows = await selectListedProducts(this.#db);
    const products = new Map<number, ListedProduct>();
    let watermark = 0;
    for (const row of rows) {
      products.set(row.id, toListed(row));
      watermark = Math.max(watermark, row.updated_at);
    }
    this.#products = products;
    this.#watermark = watermark;
    this.#forgetViews();
    this.#loaded = true;
    this.#reloadedAt = startedAt;
  }
}
