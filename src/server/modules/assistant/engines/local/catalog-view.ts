import { stem, words } from '../../text.ts';
import type { StoreCategory, StoreProduct, ToolContext } from '../../tools.ts';
import type { HistoryMessage } from '../types.ts';
import { STOPWORDS } from './vocabulary.ts';

/**
 * The part of the catalog one prompt looks at, read from the store during that prompt: the whole
 * catalog when it is small enough, otherwise the products the question's words can name.
 */

export interface Catalog {
  products: StoreProduct[];
  categories: StoreCategory[];
  nameStems: Map<number, string[]>;
  rarity: Map<string, number>;
  /** Products the previous reply showed, in its order: what "it", "these" and "the second one" refer to. */
  previous: StoreProduct[];
  /** The previous reply's text ("what did that come to?" reads the order it named). */
  lastReply: string;
  /** Whether `products` is the whole catalog (otherwise only what the question's words could name). */
  complete: boolean;
}

/**
 * Catalogs up to this size are read whole each prompt (from the in-memory shop listing), which is
 * what makes typo matching possible; matching costs ~12 ms per prompt at this size (bench:assistant).
 */
const SCAN_LIMIT = 2_000;
const LARGE_RECHECK_MS = 60_000;

// Only a hint for choosing how to read the catalog (never a source of facts): remembered for a minute
// so a large catalog is not scanned in vain on every prompt.
const largeCatalogs = new WeakMap<object, number>();

/** Products whose names contain a word of the question (exact words, no typo tolerance) and both price ends. */
async function narrowedProducts(ctx: ToolContext, message: string): Promise<StoreProduct[]> {
  const terms = [
    ...new Set(
      words(message)
        .filter((w) => w.length >= 3 && !STOPWORDS.has(stem(w)))
        .flatMap((w) => [w, stem(w)]),
    ),
  ];
  const found = await Promise.all([
    terms.length ? ctx.store.searchProducts({ terms, limit: 100 }) : { items: [] },
    ctx.store.searchProducts({ sort: 'price', limit: 10 }),
    ctx.store.searchProducts({ sort: '-price', limit: 10 }),
  ]);
  return [...new Map(found.flatMap((r) => r.items).map((p) => [p.id, p])).values()];
}

export async function loadCatalog(
  ctx: ToolContext,
  message: string,
  history: HistoryMessage[],
): Promise<Catalog> {
  const knownLarge = (largeCatalogs.get(ctx.store) ?? 0) > Date.now() - LARGE_RECHECK_MS;
  const [scan, categories] = await Promise.all([
    knownLarge ? null : ctx.store.searchProducts({ limit: SCAN_LIMIT, sort: 'name' }),
    ctx.store.listCategories(),
  ]);
  let items: StoreProduct[];
  if (scan && scan.total <= scan.items.length) {
    items = scan.items;
  } else {
    largeCatalogs.set(ctx.store, Date.now());
    items = await narrowedProducts(ctx, message);
  }
  const nameStems = new Map<number, string[]>();
  const documentFrequency = new Map<string, number>();
  for (const p of items) {
    const s = [...new Set(words(p.name).map(stem))];
    nameStems.set(p.id, s);
    for (const w of s) documentFrequency.set(w, (documentFrequency.get(w) ?? 0) + 1);
  }
  const rarity = new Map<string, number>();
  for (const [w, df] of documentFrequency) rarity.set(w, Math.log(1 + items.length / df));
  const last = history.findLast((m) => m.role === 'assistant');
  const lastReply = last?.content ?? '';
  let previous: StoreProduct[];
  if (last?.productIds?.length) {
    const byId = new Map(items.map((p) => [p.id, p]));
    const shown = await Promise.all(
      last.productIds.map(async (id) => byId.get(id) ?? (await ctx.store.getProduct(id))),
    );
    previous = shown.filter((p): p is StoreProduct => p !== null && p !== undefined);
  } else {
    const text = lastReply.toLowerCase();
    previous = text ? items.filter((p) => text.includes(p.name.toLowerCase())) : [];
  }
  return {
    products: items,
    categories,
    nameStems,
    rarity,
    previous,
    lastReply,
    complete: scan !== null && items === scan.items,
  };
}
