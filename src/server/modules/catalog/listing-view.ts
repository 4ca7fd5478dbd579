import type { Product } from '../../../contract/catalog.ts';
import { NameRelevance } from './name-relevance.ts';
import type { ProductFilter } from './queries.ts';

/**
 * One sorted view of the shop listing: the products in one order, with price and stock in typed
 * arrays so that filtering a page is a tight loop, and name search in one pass over all names.
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

/** A sort order: negative when `a` comes first (listing-sorts.ts). */
export type Compare = (a: ListedProduct, b: ListedProduct) => number;

export interface ListingPage {
  items: ListedProduct[];
  total: number;
}

/** A filter as inclusive integer ranges, so that checking a product is four comparisons. */
export interface Bounds {
  priceMin: number;
  priceMax: number;
  stockMin: number;
  stockMax: number;
  terms: string[];
}

export function boundsOf(f: ListingFilter): Bounds | null {
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

/** Whether `View.countByPrice` can count these bounds: a price range, "in stock" at most. */
export function countableByPrice(b: Bounds): boolean {
  return b.terms.length === 0 && b.stockMin <= 1 && b.stockMax === Number.MAX_SAFE_INTEGER;
}

/** How many of `sorted` (ascending) are below `value`. */
function countBelow(sorted: Float64Array | Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Products in one order, with their price and stock in typed arrays for the filter loop. */
export class View {
  readonly items: ListedProduct[];
  readonly #compare: Compare;
  /** The one category this view holds, or null for all of them. */
  readonly #categoryId: number | null;
  #prices = new Float64Array(0);
  #stocks = new Float64Array(0);
  /** Category per position: a product's category never changes in place (that reorders). */
  #categories = new Int32Array(0);
  #columnsStale = false;
  /** In a view sorted by price: in-stock products before each position, built on first count. */
  #inStockBefore: Int32Array | null = null;
  #names: string | null = null;
  #starts = new Int32Array(0);
  #relevance: NameRelevance | null = null;

  /** `items` already in the order `compare` defines. */
  constructor(items: ListedProduct[], compare: Compare, categoryId: number | null = null) {
    this.items = items;
    this.#compare = compare;
    this.#categoryId = categoryId;
    this.#build();
  }

  #build(): void {
    const items = this.items;
    this.#prices = new Float64Array(items.length);
    this.#stocks = new Float64Array(items.length);
    this.#categories = new Int32Array(items.length);
    for (let i = 0; i < items.length; i++) this.#categories[i] = items[i].product.category.id;
    this.#fillColumns();
    // Name search works over positions: they have changed.
    this.#names = null;
    this.#relevance = null;
  }

  /**
   * Products that left this order or moved in it (`removed`, as they were) and the same or new
   * ones where they are now (`added`): each is taken out or put in at its place, found by binary
   * search, instead of sorting everything again (a second at a million products).
   */
  move(removed: readonly ListedProduct[], added: readonly ListedProduct[]): void {
    for (const p of removed) {
      const at = this.#placeOf(p);
      if (this.items[at] === p) this.items.splice(at, 1);
    }
    for (const p of added) {
      if (this.#categoryId !== null && p.product.category.id !== this.#categoryId) continue;
      this.items.splice(this.#placeOf(p), 0, p);
    }
    this.#build();
  }

  /** The first position whose product does not come before `p`. */
  #placeOf(p: ListedProduct): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#compare(this.items[mid], p) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The same order restricted to one category, found through the category column: at a million
   * products, chasing each product's category object instead costs most of a second.
   */
  inCategory(categoryId: number): View {
    const items: ListedProduct[] = [];
    const categories = this.#categories;
    for (let i = 0; i < categories.length; i++) if (categories[i] === categoryId) items.push(this.items[i]);
    return new View(items, this.#compare, categoryId);
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
        // The name the match starts in: the last one starting at or before it.
        const i = countBelow(starts, at + 1) - 1;
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
    this.#relevance?.forgetTotals();
  }

  /** In a view sorted by name: the page of products matching the terms, in relevance order. */
  relevancePage(bounds: Bounds, start: number, size: number): ListingPage {
    if (this.#columnsStale) this.#fillColumns();
    this.#relevance ??= new NameRelevance(
      this.items.map((p) => p.nameKey),
      (term) => this.#containingAny([term]),
    );
    const { priceMin, priceMax, stockMin, stockMax } = bounds;
    const prices = this.#prices;
    const stocks = this.#stocks;
    const unbounded =
      priceMin === 0 &&
      stockMin === 0 &&
      priceMax === Number.MAX_SAFE_INTEGER &&
      stockMax === Number.MAX_SAFE_INTEGER;
    const accept = unbounded
      ? null
      : (i: number) =>
          prices[i] >= priceMin && prices[i] <= priceMax && stocks[i] >= stockMin && stocks[i] <= stockMax;
    const { positions, total } = this.#relevance.page(
      bounds.terms,
      accept,
      `${priceMin},${priceMax},${stockMin},${stockMax}`,
      start,
      size,
    );
    return { items: positions.map((i) => this.items[i]), total };
  }

  #fillColumns(): void {
    for (let i = 0; i < this.items.length; i++) {
      this.#prices[i] = this.items[i].product.priceCents;
      this.#stocks[i] = this.items[i].product.stock;
    }
    this.#columnsStale = false;
    this.#inStockBefore = null;
  }

  /**
   * In a view sorted by price, ascending: how many of its products `bounds` admit, by two binary
   * searches (prices are whole cents, stock never negative). Only for bounds `countableByPrice`
   * accepts. A page in another order of the same products takes its total from here, so it stops
   * at its page instead of walking every product to count them.
   */
  countByPrice(bounds: Bounds): number {
    if (this.#columnsStale) this.#fillColumns();
    const from = countBelow(this.#prices, bounds.priceMin);
    const to = countBelow(this.#prices, bounds.priceMax + 1);
    if (from >= to) return 0;
    if (bounds.stockMin === 0) return to - from;
    if (!this.#inStockBefore) {
      const before = new Int32Array(this.#stocks.length + 1);
      for (let i = 0; i < this.#stocks.length; i++) before[i + 1] = before[i] + (this.#stocks[i] > 0 ? 1 : 0);
      this.#inStockBefore = before;
    }
    return this.#inStockBefore[to] - this.#inStockBefore[from];
  }

  /** The page of products `bounds` admit; `knownTotal` (from `countByPrice`) ends the walk at the page. */
  page(bounds: Bounds | null, start: number, size: number, knownTotal: number | null = null): ListingPage {
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
      if (knownTotal !== null && items.length === size) break;
    }
    return { items, total: knownTotal ?? total };
  }
}
