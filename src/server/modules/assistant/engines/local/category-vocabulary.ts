import { stem, words } from '../../text.ts';
import type { StoreCategory } from '../../tools.ts';
import type { Catalog } from './catalog-view.ts';
import { STOPWORDS } from './vocabulary.ts';

/**
 * Category intent from the words of a category's products ("a gift for a hiker" → the category
 * whose products talk about hiking): a word root belongs to a category when at least two of its
 * products use it and nearly all products using it are in that category. Only a hint for choosing
 * the scope of a question; every fact still comes from the products themselves.
 */

/** "hiker", "hiking", "hikes" → "hik": a rough common root for matching intent, not for display. */
export function root(word: string): string {
  let w = stem(word);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && (w.endsWith('er') || w.endsWith('ed'))) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

const MIN_PRODUCTS = 2;
const MIN_SHARE = 0.75;

type Vocabulary = Map<string, StoreCategory>;

const cache = new WeakMap<object, Vocabulary>();

function buildVocabulary(catalog: Catalog): Vocabulary {
  const perRoot = new Map<string, Map<number, number>>();
  for (const p of catalog.products) {
    const roots = new Set(
      words(`${p.name} ${p.description}`)
        .filter((w) => w.length > 3 && !/\d/.test(w) && !STOPWORDS.has(stem(w)))
        .map(root),
    );
    for (const r of roots) {
      const counts = perRoot.get(r) ?? new Map<number, number>();
      counts.set(p.category.id, (counts.get(p.category.id) ?? 0) + 1);
      perRoot.set(r, counts);
    }
  }
  const byId = new Map(catalog.categories.map((c) => [c.id, c]));
  const vocabulary: Vocabulary = new Map();
  for (const [r, counts] of perRoot) {
    let total = 0;
    let best: [number, number] = [0, 0];
    for (const [categoryId, n] of counts) {
      total += n;
      if (n > best[1]) best = [categoryId, n];
    }
    const category = byId.get(best[0]);
    if (category && best[1] >= MIN_PRODUCTS && best[1] / total >= MIN_SHARE) vocabulary.set(r, category);
  }
  return vocabulary;
}

/** The category the question's words point to through its products' texts, if one clearly wins. */
export function categoryByVocabulary(catalog: Catalog, text: string): StoreCategory | null {
  let vocabulary = cache.get(catalog.products);
  if (!vocabulary) {
    vocabulary = buildVocabulary(catalog);
    cache.set(catalog.products, vocabulary);
  }
  const votes = new Map<number, { category: StoreCategory; n: number }>();
  for (const w of words(text)) {
    if (w.length <= 3 || STOPWORDS.has(stem(w))) continue;
    const category = vocabulary.get(root(w));
    if (!category) continue;
    const vote = votes.get(category.id) ?? { category, n: 0 };
    vote.n++;
    votes.set(category.id, vote);
  }
  const ranked = [...votes.values()].sort((a, b) => b.n - a.n);
  if (ranked.length === 0 || (ranked.length > 1 && ranked[0].n === ranked[1].n)) return null;
  return ranked[0].category;
}
