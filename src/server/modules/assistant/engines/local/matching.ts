import { bestSimilarity, stem, words } from '../../text.ts';
import type { StoreCategory, StoreProduct } from '../../tools.ts';
import type { Catalog } from './catalog-view.ts';
import { categoryByVocabulary } from './category-vocabulary.ts';
import { contentStems, INTENT_PATTERNS, PRONOUN, STOPWORDS } from './vocabulary.ts';

/** Which products and categories a question's words name, typo-tolerant, ranked by how well. */

interface ProductMatch {
  product: StoreProduct;
  /** How much of the question the name explains (sum over question words). */
  explained: number;
  /** How much of the name the question covers, weighted by word rarity (0–1). */
  coverage: number;
  /** Position of the first question word the name matched. */
  firstWord: number;
}

function matchProducts(catalog: Catalog, queryStems: string[]): ProductMatch[] {
  if (queryStems.length === 0) return [];
  const matches: ProductMatch[] = [];
  for (const product of catalog.products) {
    const name = catalog.nameStems.get(product.id) ?? [];
    let explained = 0;
    let firstWord = -1;
    for (const [i, q] of queryStems.entries()) {
      const similarity = bestSimilarity(q, name);
      explained += similarity;
      if (similarity > 0 && firstWord < 0) firstWord = i;
    }
    if (explained === 0) continue;
    let covered = 0;
    let total = 0;
    for (const n of name) {
      const weight = catalog.rarity.get(n) ?? 1;
      total += weight;
      covered += weight * bestSimilarity(n, queryStems);
    }
    matches.push({ product, explained, coverage: total ? covered / total : 0, firstWord });
  }
  return matches.sort((a, b) => b.explained - a.explained || b.coverage - a.coverage);
}

/** The products a phrase names: the best-explaining ones; an exact full name wins a tie. */
export function namedProducts(
  catalog: Catalog,
  text: string,
  excluded: Set<string> = new Set(),
): StoreProduct[] {
  const query = contentStems(text).filter((w) => !excluded.has(w));
  const matches = matchProducts(catalog, query);
  if (matches.length === 0) return [];
  const best = matches[0].explained;
  const tied = matches.filter((m) => m.explained >= best - 0.05);
  const exact = tied.filter((m) => m.coverage >= 0.999);
  if (exact.length) return exact.map((m) => m.product);
  // Names matching different words ("does the keyboard support bluetooth?"): the first-named one is
  // the subject. Several products matching the same word ("headphones") all stay.
  const subject = Math.min(...tied.map((m) => m.firstWord));
  return tied.filter((m) => m.firstWord === subject).map((m) => m.product);
}

function bestProductSimilarity(catalog: Catalog, word: string): number {
  let best = 0;
  for (const name of catalog.nameStems.values()) best = Math.max(best, bestSimilarity(word, name));
  return best;
}

export function categoryIn(
  catalog: Catalog,
  text: string,
): { category: StoreCategory; stems: Set<string> } | null {
  const query = words(text).map(stem);
  let best: { category: StoreCategory; score: number; stems: Set<string> } | null = null;
  for (const category of catalog.categories) {
    const names = [...new Set([...words(category.name), ...words(category.slug)].map(stem))].filter(
      (w) => w.length > 2 && !STOPWORDS.has(w),
    );
    const hits = new Set<string>();
    let score = 0;
    for (const n of names) {
      for (const q of query) {
        const s = bestSimilarity(q, [n]);
        // A word that names a product at least as well ("boots") is about the product, not a category ("books").
        if (s > 0 && s > bestProductSimilarity(catalog, q)) {
          score += s;
          hits.add(q);
        }
      }
    }
    if (score > 0 && (!best || score > best.score)) best = { category, score, stems: hits };
  }
  return best ? { category: best.category, stems: best.stems } : null;
}

/** "the sweater and the beanie": one product per listed part, when each part names one. */
function listedProducts(catalog: Catalog, message: string, excluded: Set<string>): StoreProduct[] {
  const parts = message.split(/\s*(?:\band\b|\bor\b|,|&|\bplus\b)\s*/i).filter((p) => p.trim());
  if (parts.length < 2) return [];
  const found: StoreProduct[] = [];
  for (const part of parts) {
    const named = namedProducts(catalog, part, excluded);
    if (named.length === 0 || named.length > 3) continue;
    for (const p of named) if (!found.some((f) => f.id === p.id)) found.push(p);
  }
  return found;
}

/** Products whose descriptions use the question's words (exact words of 4+ letters), best first. */
export function describedProducts(catalog: Catalog, message: string): StoreProduct[] {
  const query = new Set(contentStems(message).filter((w) => w.length >= 4));
  if (query.size === 0) return [];
  return catalog.products
    .map((p) => ({
      p,
      hits: new Set(
        words(p.description)
          .map(stem)
          .filter((w) => query.has(w)),
      ).size,
    }))
    .filter((m) => m.hits > 0)
    .sort((a, b) => b.hits - a.hits)
    .map((m) => m.p);
}

export interface Scope {
  kind: 'named' | 'category' | 'all';
  products: StoreProduct[];
  label: string;
  category?: StoreCategory;
}

const ORDINALS: Record<string, number> = { first: 0, second: 1, third: 2, fourth: 3, fifth: 4 };

/** "the second one", "the last one": a product of the previous reply by position. */
function ordinalPick(catalog: Catalog, message: string): StoreProduct | null {
  if (catalog.previous.length < 2) return null;
  const m = message.match(INTENT_PATTERNS.ordinal);
  if (!m) return null;
  const word = (m[1] ?? m[3]).toLowerCase();
  const index = word === 'last' ? catalog.previous.length - 1 : ORDINALS[word];
  return catalog.previous[index] ?? null;
}

/** What a catalog question is about: named products, a category, or everything. */
export function scopeOf(catalog: Catalog, message: string): Scope {
  const picked = ordinalPick(catalog, message);
  if (picked) return { kind: 'named', products: [picked], label: 'matching products' };
  const category = categoryIn(catalog, message);
  const excluded = category?.stems ?? new Set<string>();
  const named = namedProducts(catalog, message, excluded);
  if (named.length > 0) {
    const listed = listedProducts(catalog, message, excluded);
    const exactName = named.some((p) => message.toLowerCase().includes(p.name.toLowerCase()));
    if (listed.length > 1 && !exactName)
      return { kind: 'named', products: listed, label: 'matching products' };
    const inCategory = category ? named.filter((p) => p.category.id === category.category.id) : named;
    return { kind: 'named', products: inCategory.length ? inCategory : named, label: 'matching products' };
  }
  const refersBack = catalog.previous.length > 0 && PRONOUN.test(message);
  const chosen = category?.category ?? (refersBack ? null : categoryByVocabulary(catalog, message));
  if (chosen) {
    return {
      kind: 'category',
      products: catalog.products.filter((p) => p.category.id === chosen.id),
      label: chosen.name,
      category: chosen,
    };
  }
  if (refersBack) return { kind: 'named', products: catalog.previous, label: 'matching products' };
  return { kind: 'all', products: catalog.products, label: 'the catalog' };
}
