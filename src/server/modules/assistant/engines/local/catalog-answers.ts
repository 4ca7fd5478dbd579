import { searchPolicies } from '../../policies.ts';
import { formatCents } from '../../text.ts';
import type { StoreProduct } from '../../tools.ts';
import type { EngineAnswer } from '../types.ts';
import type { Catalog } from './catalog-view.ts';
import { describedProducts, namedProducts, type Scope } from './matching.ts';
import { answer, listProducts, stockPhrase } from './phrasing.ts';
import { inRange, type PriceRange } from './price-range.ts';

/** Answers about the catalog and the store: categories, policies, comparisons, prices, stock, search. */

export function categoriesAnswer(catalog: Catalog): EngineAnswer {
  const lines = catalog.categories.map(
    (c) => `- ${c.name} (${c.productCount} product${c.productCount === 1 ? '' : 's'})`,
  );
  return answer(`We have ${catalog.categories.length} categories:\n${lines.join('\n')}`);
}

export function policyAnswer(message: string): EngineAnswer | null {
  const passages = searchPolicies(message, { limit: 2 });
  if (passages.length === 0) return null;
  const [first, second] = passages;
  const extra = second && second.topic === first.topic ? `\n\n${second.text}` : '';
  return answer(`${first.title} — ${first.heading}: ${first.text}${extra}`);
}

export function compareAnswer(catalog: Catalog, message: string): EngineAnswer | null {
  const body = message.replace(/.*?\b(compare|difference between|differences between)\b/i, '');
  const parts = body
    .split(/\s*(?:\band\b|\bvs\.?|\bversus\b|\bor\b|\bwith\b|\bto\b|,|&)\s*/i)
    .filter(Boolean);
  const chosen: StoreProduct[] = [];
  for (const part of parts) {
    const named = namedProducts(catalog, part);
    const pick = named[0];
    if (pick && named.length <= 3 && !chosen.some((c) => c.id === pick.id)) chosen.push(pick);
  }
  if (chosen.length < 2) return null;
  const [a, b] = chosen;
  const lines = chosen.map(
    (p) => `- ${p.name} (${p.category.name}): ${formatCents(p.priceCents)}, ${stockPhrase(p)}`,
  );
  let verdict: string;
  if (a.priceCents === b.priceCents) verdict = `Both cost ${formatCents(a.priceCents)}.`;
  else {
    const [cheap, dear] = a.priceCents < b.priceCents ? [a, b] : [b, a];
    verdict = `${cheap.name} is ${formatCents(dear.priceCents - cheap.priceCents)} cheaper than ${dear.name}.`;
  }
  return answer(`Here is how they compare:\n${lines.join('\n')}\n${verdict}`, chosen);
}

export function superlativeAnswer(scope: Scope, cheapest: boolean, inStockOnly: boolean): EngineAnswer {
  const pool = inStockOnly ? scope.products.filter((p) => p.stock > 0) : scope.products;
  if (pool.length === 0) return answer(`I found nothing in ${scope.label}.`);
  const sorted = [...pool].sort((a, b) =>
    cheapest ? a.priceCents - b.priceCents : b.priceCents - a.priceCents,
  );
  const top = sorted[0];
  const where =
    scope.label === 'the catalog'
      ? ''
      : scope.label === 'matching products'
        ? ' matching that'
        : ` in ${scope.label}`;
  const ties = sorted.filter((p) => p.priceCents === top.priceCents);
  const names = ties.map((p) => `${p.name} (${stockPhrase(p)})`).join(' and ');
  return answer(
    `The ${cheapest ? 'cheapest' : 'most expensive'} product${where} is ${names} at ${formatCents(top.priceCents)}.`,
    ties,
  );
}

export function stockAnswer(scope: Scope, wantsOut: boolean): EngineAnswer {
  if (scope.kind !== 'named') {
    const pool = wantsOut
      ? scope.products.filter((p) => p.stock === 0)
      : scope.products.filter((p) => p.stock > 0);
    const where = scope.label === 'the catalog' ? '' : ` in ${scope.label}`;
    if (pool.length === 0)
      return answer(wantsOut ? `Everything${where} is in stock.` : `Nothing${where} is in stock right now.`);
    return answer(`${wantsOut ? 'Out of stock' : 'In stock'}${where}:\n${listProducts(pool, 12)}`, pool);
  }
  const lines = scope.products
    .slice(0, 5)
    .map((p) =>
      p.stock > 0
        ? `${p.name} is in stock: ${p.stock} available at ${formatCents(p.priceCents)}.`
        : `${p.name} is out of stock right now (it sells for ${formatCents(p.priceCents)}).`,
    );
  return answer(lines.join('\n'), scope.products);
}

function detailsAnswer(products: StoreProduct[]): EngineAnswer {
  if (products.length === 1) {
    const p = products[0];
    return answer(
      `${p.name} (${p.category.name}) costs ${formatCents(p.priceCents)} and is ${stockPhrase(p)}. ${p.description}`.trim(),
      [p],
    );
  }
  return answer(`I found ${products.length} matching products:\n${listProducts(products)}`, products);
}

/** "cheaper than the Aurora headphones": products priced below (or above) a named one, same category first. */
export function relativePriceAnswer(
  catalog: Catalog,
  message: string,
  cheaper: boolean,
): EngineAnswer | null {
  const [reference] = namedProducts(catalog, message.replace(/.*\bthan\b/i, ''));
  if (!reference) return null;
  const other = catalog.products.filter((p) =>
    cheaper ? p.priceCents < reference.priceCents : p.priceCents > reference.priceCents,
  );
  const sameCategory = other.filter((p) => p.category.id === reference.category.id);
  const pool = (sameCategory.length ? sameCategory : other).sort((a, b) =>
    cheaper ? b.priceCents - a.priceCents : a.priceCents - b.priceCents,
  );
  const head = `${reference.name} costs ${formatCents(reference.priceCents)}.`;
  if (pool.length === 0)
    return answer(`${head} Nothing is ${cheaper ? 'cheaper' : 'more expensive'}.`, [reference]);
  const where = sameCategory.length ? ` in ${reference.category.name}` : '';
  return answer(
    `${head} ${cheaper ? 'Cheaper' : 'More expensive'} options${where}:\n${listProducts(pool, 6)}`,
    pool,
  );
}

export function searchAnswer(
  catalog: Catalog,
  message: string,
  scope: Scope,
  range: PriceRange | null,
): EngineAnswer {
  let pool = scope.products;
  if (range) {
    pool = pool.filter((p) => inRange(p.priceCents, range)).sort((a, b) => a.priceCents - b.priceCents);
    const bounds = [
      range.min !== undefined ? `from ${formatCents(range.min)}` : '',
      range.max !== undefined ? `up to ${formatCents(range.max)}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    const where = scope.label === 'the catalog' ? '' : ` in ${scope.label}`;
    if (pool.length === 0) return answer(`Nothing${where} is priced ${bounds}.`);
    return answer(`Products${where} priced ${bounds}:\n${listProducts(pool)}`, pool);
  }
  if (scope.kind === 'named') return detailsAnswer(pool);
  if (scope.kind === 'category') return answer(`In ${scope.label} we have:\n${listProducts(pool, 12)}`, pool);
  const related = describedProducts(catalog, message);
  if (related.length > 0)
    return answer(`These might be what you are looking for:\n${listProducts(related, 5)}`, related);
  return answer(
    `I couldn't find a product matching that. We sell ${catalog.categories.map((c) => c.name).join(', ')}. ` +
      'Try a product name, a category or a price range, e.g. "under $50".',
  );
}
