import { setImmediate } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import type { ProductSort } from '../../../contract/catalog.ts';
import type { Db } from '../../db/database.ts';
import { metrics } from '../../http/metrics.ts';
import { type ListedProductRow, selectDeletedProductIds, selectListedProducts } from './queries.ts';
import {
  boundsOf,
  countableByPrice,
  type ListedProduct,
  type ListingFilter,
  type ListingPage,
  View,
} from './listing-view.ts';
import { COMPARE, SORTS, sorted } from './listing-sorts.ts';
import { toProduct } from './product-views.ts';
import { type SearchDoc, type SearchHits, SearchIndex } from './search-index.ts';

/**
 * The shop's product listing, held in memory and filtered, sorted and paged there: a catalog page
 * costs no database round trip. It is at most `maxAgeMs` behind the database; a write made through
 * this process's admin API is visible to the next listing at once (`invalidate`). See
 * docs/decisions/090-shop-listing-in-memory.md.
 */

export type { ListedProduct, ListingFilter, ListingPage };

/** The API's sorts, and `relevance`: the order of `q` without `sort` (name-relevance.ts). */
export type ListingSort = ProductSort | 'relevance';

/**
 * How far back an incremental refresh looks before the start of the previous read: a write whose
 * transaction commits later than this after its timestamp, or an instance whose clock runs this far
 * behind, would be missed until the next full reload. Bulk imports restamp their rows just before
 * they commit (product-import.ts) for this reason.
 */
const CHANGE_OVERLAP_MS = 5_000;

/** A full read now and then, as a safety net for anything the incremental refresh cannot see. */
const FULL_RELOAD_EVERY_MS = 5 * 60_000;

/** Beyond this many products leaving, arriving or moving at once, the sorted views are rebuilt. */
const MAX_MOVES = 1_000;

/** Rows per query of a full read. */
const RELOAD_PAGE = 20_000;

function docOf(p: ListedProduct): SearchDoc {
  return {
    id: p.product.id,
    name: p.product.name,
    description: p.product.description,
    category: p.product.category.name,
  };
}

/** The same products, each where every sort order puts it: only stock or wording may differ. */
function sameOrder(before: Map<number, ListedProduct>, after: Map<number, ListedProduct>): boolean {
  if (before.size !== after.size) return false;
  for (const [id, next] of after) {
    const previous = before.get(id);
    if (!previous || !sameOrderOf(previous, next)) return false;
  }
  return true;
}

const sameOrderOf = (a: ListedProduct, b: ListedProduct) =>
  a.nameKey === b.nameKey &&
  a.createdAt === b.createdAt &&
  a.product.priceCents === b.product.priceCents &&
  a.product.category.id === b.product.category.id &&
  // Category views are found by slug.
  a.product.category.slug === b.product.category.slug;

const sameText = (a: ListedProduct, b: ListedProduct) =>
  a.product.name === b.product.name &&
  a.product.description === b.product.description &&
  a.product.category.name === b.product.category.name;

type ProductCategory = ListedProduct['product']['category'];

/**
 * `row` as the listing holds it. Products of one category share one category object (`categories`
 * keeps them): a million copies would be a million more objects for every garbage collection to walk.
 */
function toListed(row: ListedProductRow, categories: Map<string, ProductCategory>): ListedProduct {
  const product = toProduct(row, null);
  const key = `${row.category_id}\u0000${row.category_name}\u0000${row.category_slug}`;
  const category = categories.get(key);
  if (category) product.category = category;
  else categories.set(key, product.category);
  return {
    product,
    json: JSON.stringify(product),
    nameKey: row.name.toLowerCase(),
    createdAt: row.created_at,
  };
}

export class ShopListing {
  readonly #db: Db;
  readonly #maxAgeMs: number;
  readonly #overlapMs: number;
  readonly #reloadPage: number;
  #products = new Map<number, ListedProduct>();
  readonly #categoryObjects = new Map<string, ProductCategory>();
  /** Sorted views, built on first use: by sort, and by sort within one category. */
  #views = new Map<string, View>();
  /** Category id by slug, of the categories with live products (one emptied since may linger). */
  #slugs: Map<string, number> | null = null;
  /** Live products per category id, counted on first use. */
  #categoryCounts: Map<number, number> | null = null;
  /** The free-text index over the same products, built on the first search. */
  #search: SearchIndex | null = null;
  #loaded = false;
  #warm = false;
  #reloadedAt = Number.NEGATIVE_INFINITY;
  /**
   * When the previous read started, by the wall clock that `updated_at` uses. Counting from the
   * newest `updated_at` instead would re-read a whole bulk import on every refresh until the next
   * write, since all its rows share one timestamp.
   */
  #readStartedAt = 0;
  /** When the newest completed refresh started (performance.now()). */
  #freshAsOf = Number.NEGATIVE_INFINITY;
  /** Listings must reflect a refresh started at or after this (set by `invalidate`). */
  #notBefore = Number.NEGATIVE_INFINITY;
  /** Products whose stock changed through this process, to be read again before the next answer. */
  #stale = new Set<number>();
  /** When the newest of them was marked (performance.now()). */
  #staleAt = Number.NEGATIVE_INFINITY;
  #refreshing: { startedAt: number; done: Promise<void> } | null = null;

  constructor(db: Db, options: { maxAgeMs: number; overlapMs?: number; reloadPageSize?: number }) {
    this.#db = db;
    this.#maxAgeMs = options.maxAgeMs;
    this.#overlapMs = options.overlapMs ?? CHANGE_OVERLAP_MS;
    this.#reloadPage = options.reloadPageSize ?? RELOAD_PAGE;
  }

  /** The catalog changed through this process: the next listing reads it again. */
  invalidate(): void {
    this.#notBefore = performance.now();
  }

  /**
   * These products' stock changed through this process (a checkout, a cancellation): the next
   * answer reads just these rows again first, so that a shopper sees the stock their own order
   * left, and a stream of checkouts does not turn into a stream of catalog-wide refreshes.
   */
  productsChanged(ids: Iterable<number>): void {
    for (const id of ids) this.#stale.add(id);
    this.#staleAt = performance.now();
  }

  /**
   * Reads the catalog and builds what the first requests would otherwise wait for (every sort
   * order and the search index), so that a large catalog is ready before the first shopper comes.
   */
  async warm(): Promise<void> {
    await this.#catchUp();
    for (const sort of SORTS) this.#view(sort, undefined);
    await this.search('', 0, 1);
    this.#warm = true;
  }

  /** Whether `warm` has finished: until then the first requests would wait for it. */
  get isWarm(): boolean {
    return this.#warm;
  }

  /** A live product as the shop shows it, or null (unknown or archived), as current as the listing. */
  async product(id: number): Promise<ListedProduct | null> {
    await this.#catchUp();
    return this.#products.get(id) ?? null;
  }

  async page(filter: ListingFilter, sort: ListingSort, page: number, pageSize: number): Promise<ListingPage> {
    await this.#catchUp();
    const bounds = boundsOf(filter);
    const start = (page - 1) * pageSize;
    if (sort === 'relevance') {
      const view = this.#view('name', filter.categorySlug);
      if (!view) return { items: [], total: 0 };
      return bounds && bounds.terms.length > 0
        ? view.relevancePage(bounds, start, pageSize)
        : view.page(bounds, start, pageSize);
    }
    const view = this.#view(sort, filter.categorySlug);
    if (!view) return { items: [], total: 0 };
    // The same products by price count a price range without walking them all.
    const total =
      bounds && countableByPrice(bounds)
        ? this.#view('price', filter.categorySlug)?.countByPrice(bounds)
        : null;
    return view.page(bounds, start, pageSize, total ?? null);
  }

  /** How many live products each category has (absent: none), as current as the listing. */
  async categoryCounts(): Promise<ReadonlyMap<number, number>> {
    await this.#catchUp();
    let counts = this.#categoryCounts;
    if (!counts) {
      counts = new Map();
      for (const p of this.#products.values()) {
        const id = p.product.category.id;
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      this.#categoryCounts = counts;
    }
    return counts;
  }

  /** Free-text search over the live products (search-index.ts), as current as the listing. */
  async search(text: string, start: number, size: number): Promise<ListingPage & Omit<SearchHits, 'ids'>> {
    await this.#catchUp();
    if (!this.#search || this.#search.needsRebuild) {
      this.#search = SearchIndex.build([...this.#products.values()].map(docOf));
    }
    const { ids, total, didYouMean } = this.#search.search(text, start, size);
    const items = ids.map((id) => this.#products.get(id)).filter((p) => p !== undefined);
    return { items, total, ...(didYouMean ? { didYouMean } : {}) };
  }

  #view(sort: ProductSort, categorySlug: string | undefined): View | null {
    // Only categories that have products get a cached view, so made-up slugs cannot fill memory.
    const categoryId = categorySlug === undefined ? undefined : this.#categoryIds().get(categorySlug);
    if (categorySlug !== undefined && categoryId === undefined) return null;
    const key = categorySlug === undefined ? sort : `${sort}\u0000${categorySlug}`;
    let view = this.#views.get(key);
    if (!view) {
      view =
        categoryId === undefined
          ? new View(sorted([...this.#products.values()], sort), COMPARE[sort])
          : (this.#view(sort, undefined) as View).inCategory(categoryId);
      this.#views.set(key, view);
    }
    return view;
  }

  #categoryIds(): Map<string, number> {
    let slugs = this.#slugs;
    if (!slugs) {
      slugs = new Map();
      for (const { product } of this.#products.values())
        slugs.set(product.category.slug, product.category.id);
      this.#slugs = slugs;
    }
    return slugs;
  }

  async #catchUp(): Promise<void> {
    const needed = Math.max(performance.now() - this.#maxAgeMs, this.#notBefore);
    for (;;) {
      const fresh = this.#loaded && this.#freshAsOf >= needed;
      if (fresh && this.#stale.size === 0) {
        // Past half its maximum age the next read starts without anyone waiting: requests seldom do.
        const ahead = performance.now() - this.#freshAsOf > this.#maxAgeMs / 2;
        if (ahead && !this.#refreshing) this.#start(false).catch(() => undefined);
        return;
      }
      const running = this.#refreshing;
      if (running && running.startedAt >= needed && running.startedAt >= this.#staleAt) return running.done;
      if (running) {
        // Started too early to show what this listing must show: wait for it, then start another.
        await running.done.catch(() => undefined);
        continue;
      }
      // Fresh but for some stock changes: read just those rows, which makes nothing else fresher.
      return this.#start(fresh);
    }
  }

  #start(onlyStale: boolean): Promise<void> {
    const startedAt = performance.now();
    const done = onlyStale
      ? this.#readStale()
      : this.#refresh().then(() => {
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

  async #readStale(): Promise<void> {
    const ids = [...this.#stale];
    this.#stale.clear();
    metrics.shopListingRefreshes.inc({ kind: 'products' });
    const rows = await selectListedProducts(this.#db, { ids });
    metrics.shopListingRowsRead.inc({ kind: 'products' }, rows.length);
    // A row that is gone was deleted: the same as archived for the shop.
    this.#apply(rows, ids);
  }

  async #refresh(): Promise<void> {
    // Whatever this reads covers the stale products too: their writes are newer than its start.
    this.#stale.clear();
    // With no staleness allowed, reading everything is the only way to also see rows changed
    // without a new `updated_at` (by hand, or by tests that write to the database directly).
    const due = performance.now() - this.#reloadedAt > FULL_RELOAD_EVERY_MS;
    if (!this.#loaded || this.#maxAgeMs === 0 || due) return this.#reload();
    metrics.shopListingRefreshes.inc({ kind: 'changes' });
    const readStartedAt = Date.now();
    const since = this.#readStartedAt - this.#overlapMs;
    const changed = await selectListedProducts(this.#db, { changedSince: since });
    // Deletions leave no row behind: the app records them (decision 182).
    const deleted = await selectDeletedProductIds(this.#db, since);
    this.#readStartedAt = readStartedAt;
    metrics.shopListingRowsRead.inc({ kind: 'changes' }, changed.length + deleted.length);
    this.#apply(changed, deleted);
  }

  /** Applies rows read again (changed or asked for); drops the ids of `maybeGone` that have none. */
  #apply(changed: ListedProductRow[], maybeGone: number[] = []): void {
    const found = new Set(changed.map((row) => row.id));
    this.#applyListed([
      ...changed.map((row) => (row.archived ? row.id : toListed(row, this.#categoryObjects))),
      ...maybeGone.filter((id) => !found.has(id)),
    ]);
  }

  /** Products as they now are, or the id alone of one archived since. */
  #applyListed(changed: (ListedProduct | number)[]): void {
    const removed: ListedProduct[] = [];
    const added: ListedProduct[] = [];
    let stockChanged = false;
    for (const next of changed) {
      const id = typeof next === 'number' ? next : next.product.id;
      const previous = this.#products.get(id);
      if (typeof next === 'number') {
        if (previous) {
          this.#search?.remove(docOf(previous));
          this.#products.delete(id);
          removed.push(previous);
        }
        continue;
      }
      if (previous?.json === next.json) continue;
      if (!previous || !sameText(previous, next)) {
        this.#search?.upsert(docOf(next), previous && docOf(previous));
      }
      if (previous && sameOrderOf(previous, next)) {
        // Only stock or wording changed: the sorted views keep this object, so update it in place.
        stockChanged ||= previous.product.stock !== next.product.stock;
        Object.assign(previous, next);
      } else {
        this.#products.set(id, next);
        if (previous) removed.push(previous);
        added.push(next);
      }
    }
    if (removed.length > 0 || added.length > 0) this.#moveInViews(removed, added);
    if (stockChanged) this.#stockChanged();
  }

  /**
   * Products that left, arrived or moved: a few are moved within the sorted views (and counted
   * per category); many, or a category that changed its slug, and the views are built again.
   */
  #moveInViews(removed: ListedProduct[], added: ListedProduct[]): void {
    const slugs = this.#slugs;
    const renamed = added.some(({ product: { category } }) => {
      const id = slugs?.get(category.slug);
      if (id !== undefined) return id !== category.id;
      return [...(slugs?.values() ?? [])].includes(category.id);
    });
    if (renamed || removed.length + added.length > MAX_MOVES) {
      this.#forgetViews();
      return;
    }
    for (const view of this.#views.values()) view.move(removed, added);
    const counts = this.#categoryCounts;
    for (const { product } of removed)
      counts?.set(product.category.id, (counts.get(product.category.id) ?? 1) - 1);
    for (const { product } of added) {
      counts?.set(product.category.id, (counts.get(product.category.id) ?? 0) + 1);
      slugs?.set(product.category.slug, product.category.id);
    }
  }

  /** Stock changed in place: the stock orders are rebuilt, the others refill their columns. */
  #stockChanged(): void {
    for (const [key, view] of this.#views) {
      const sort = key.split('\u0000')[0];
      if (sort === 'stock' || sort === '-stock') this.#views.delete(key);
      else view.stockChanged();
    }
  }

  /** After a full read: apply the differences to the search index, or drop it when they are many. */
  #syncSearch(before: Map<number, ListedProduct>, after: Map<number, ListedProduct>): void {
    const index = this.#search;
    if (!index) return;
    let changes = 0;
    const limit = Math.max(1_000, after.size / 5);
    for (const [id, next] of after) {
      const previous = before.get(id);
      if (previous && sameText(previous, next)) continue;
      if (++changes > limit) {
        this.#search = null;
        return;
      }
      index.upsert(docOf(next), previous && docOf(previous));
    }
    for (const [id, previous] of before) if (!after.has(id)) index.remove(docOf(previous));
  }

  #forgetViews(): void {
    this.#views.clear();
    this.#slugs = null;
    this.#categoryCounts = null;
  }

  async #reload(): Promise<void> {
    const startedAt = performance.now();
    const readStartedAt = Date.now();
    metrics.shopListingRefreshes.inc({ kind: 'full' });
    const products = new Map<number, ListedProduct>();
    for (let afterId = 0; ; ) {
      const rows = await selectListedProducts(this.#db, { afterId, limit: this.#reloadPage });
      metrics.shopListingRowsRead.inc({ kind: 'full' }, rows.length);
      for (const row of rows) products.set(row.id, toListed(row, this.#categoryObjects));
      if (rows.length < this.#reloadPage) break;
      afterId = rows[rows.length - 1].id;
      // SQLite reads block the event loop: let waiting requests through between pages.
      await setImmediate();
    }
    // A full read that moved no product in any order (the usual periodic safety read): the sorted
    // views keep their objects, updated in place, instead of being sorted again.
    if (this.#loaded && sameOrder(this.#products, products)) this.#applyListed([...products.values()]);
    else {
      this.#syncSearch(this.#products, products);
      this.#products = products;
      this.#forgetViews();
    }
    this.#readStartedAt = readStartedAt;
    this.#loaded = true;
    this.#reloadedAt = startedAt;
  }
}
