import { searchPolicies } from '../../policies.ts';
import { formatCents } from '../../text.ts';
import type { StoreProduct, ToolContext } from '../../tools.ts';
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

/** " in Books", " matching that" or nothing, after a noun. */
function where(scope: Scope): string {
  if (scope.kind === 'all') return '';
  return scope.kind === 'category' ? ` in ${scope.label}` : ' matching that';
}

export function superlativeAnswer(scope: Scope, cheapest: boolean, inStockOnly: boolean): EngineAnswer {
  const pool = inStockOnly ? scope.products.filter((p) => p.stock > 0) : scope.products;
  if (pool.length === 0) return answer(`I found nothing${inStockOnly ? ' in stock' : ''}${where(scope)}.`);
  const sorted = [...pool].sort((a, b) =>
    cheapest ? a.priceCents - b.priceCents : b.priceCents - a.priceCents,
  );
  const top = sorted[0];
  const ties = sorted.filter((p) => p.priceCents === top.priceCents);
  const names = ties.map((p) => `${p.name} (${stockPhrase(p)})`).join(' and ');
  return answer(
    `The ${cheapest ? 'cheapest' : 'most expensive'} product${where(scope)} is ${names} at ${formatCents(top.priceCents)}.`,
    ties,
  );
}

export function stockAnswer(scope: Scope, wantsOut: boolean): EngineAnswer {
  if (scope.kind !== 'named') {
    const pool = wantsOut
      ? scope.products.filter((p) => p.stock === 0)
      : scope.products.filter((p) => p.stock > 0);
    const place = where(scope);
    if (pool.length === 0)
      return answer(wantsOut ? `Everything${place} is in stock.` : `Nothing${place} is in stock right now.`);
    return answer(`${wantsOut ? 'Out of stock' : 'In stock'}${place}:\n${listProducts(pool, 12)}`, pool);
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

/** "between $20.00 and $150.00", "up to $30.00", "from $100.00". */
function boundsPhrase(range: PriceRange): string {
  if (range.min !== undefined && range.max !== undefined)
    return `between ${formatCents(range.min)} and ${formatCents(range.max)}`;
  return range.max !== undefined ? `up to ${formatCents(range.max)}` : `from ${formatCents(range.min ?? 0)}`;
}

export function searchAnswer(
  catalog: Catalog,
  message: string,
  scope: Scope,
  range: PriceRange | null,
  inStockOnly: boolean,
): EngineAnswer {
  let pool =
    inStockOnly && scope.kind !== 'named' ? scope.products.filter((p) => p.stock > 0) : scope.products;
  const available = inStockOnly && scope.kind !== 'named' ? ' in stock' : '';
  if (range) {
    pool = pool.filter((p) => inRange(p.priceCents, range)).sort((a, b) => a.priceCents - b.priceCents);
    const noun = scope.kind === 'category' ? scope.label : scope.kind === 'named' ? 'Matches' : 'Products';
    if (pool.length === 0) {
      return answer(
        scope.kind === 'named'
          ? `None of the products matching that is${available} priced ${boundsPhrase(range)}.`
          : `Nothing${where(scope)} is${available} priced ${boundsPhrase(range)}.`,
      );
    }
    return answer(`${noun}${available} priced ${boundsPhrase(range)}:\n${listProducts(pool)}`, pool);
  }
  if (scope.kind === 'named') return detailsAnswer(pool);
  if (scope.kind === 'category') {
    if (pool.length === 0) return answer(`Nothing in ${scope.label} is in stock right now.`);
    return answer(
      `In ${scope.label} we have${available ? ', in stock' : ''}:\n${listProducts(pool, 12)}`,
      pool,
    );
  }
  if (available) return answer(`In stock right now:\n${listProducts(pool, 12)}`, pool);
  const related = describedProducts(catalog, message);
  if (related.length > 0)
    return answer(`These might be what you are looking for:\n${listProducts(related, 5)}`, related);
  return answer(
    `I couldn't find a product matching that. We sell ${catalog.categories.map((c) => c.name).join(', ')}. ` +
      'Try a product name, a category or a price range, e.g. "under $50".',
  );
}

/** How many products a category, the shop, or its in/out-of-stock part holds. */
export async function countAnswer(
  ctx: ToolContext,
  catalog: Catalog,
  scope: Scope,
  stock: { inStockOnly: boolean; outOfStock: boolean },
): Promise<EngineAnswer> {
  const slug = scope.category?.slug;
  const count = async (query: { inStock?: boolean; outOfStock?: boolean }) => {
    if (catalog.complete) {
      return scope.products.filter((p) =>
        query.inStock ? p.stock > 0 : query.outOfStock ? p.stock === 0 : true,
      ).length;
    }
    return (await ctx.store.searchProducts({ categorySlug: slug, ...query, limit: 1 })).total;
  };
  const place = scope.kind === 'category' ? ` in ${scope.label}` : '';
  const plural = (n: number) => `${n} product${n === 1 ? '' : 's'}`;
  if (stock.outOfStock) {
    const n = await count({ outOfStock: true });
    const list =
      catalog.complete && n > 0
        ? `:\n${listProducts(
            scope.products.filter((p) => p.stock === 0),
            12,
          )}`
        : '.';
    return answer(`${plural(n)}${place} ${n === 1 ? 'is' : 'are'} out of stock right now${list}`);
  }
  const total = await count({});
  const inStock = await count({ inStock: true });
  if (stock.inStockOnly)
    return answer(
      `${plural(inStock)}${place} ${inStock === 1 ? 'is' : 'are'} in stock right now (of ${total}).`,
    );
  return answer(
    `We carry ${plural(total)}${place}; ${inStock} ${inStock === 1 ? 'is' : 'are'} in stock right now.`,
  );
}

const CANNOT: [RegExp, string][] = [
  [
    /discount|coupon|promo|voucher|referral/i,
    'the shop has no discount, coupon or promo codes; prices are as listed',
  ],
  [/gift\s*cards?/i, 'the shop does not sell or accept gift cards'],
  [
    /price\s*match|haggle|negotiate|bargain/i,
    'prices are fixed; the shop does not match or negotiate prices',
  ],
  [/gift\s*wrap/i, 'the shop does not offer gift wrapping'],
  [
    /order/i,
    'I cannot change or cancel orders in the chat; an order that has not shipped yet can be cancelled on your [orders page](/orders)',
  ],
  [
    /layaway|financing|installment|pay\s+later/i,
    'the shop takes payment in full at checkout; there is no financing or instalment plan',
  ],
  [/sell|trade/i, 'the shop does not buy or take in used items'],
  [
    /password|e-?mail|address/i,
    'I cannot change account details; you can do that on your [account page](/account)',
  ],
];

/** An honest refusal for what the shop does not offer, instead of a catalog search on its words. */
export function cannotAnswer(message: string): EngineAnswer {
  const reason = CANNOT.find(([re]) => re.test(message))?.[1] ?? 'that is not something this shop offers';
  return answer(
    `Sorry, I can't do that: ${reason}. I can help you find products, prices and stock, or explain our policies.`,
  );
}
