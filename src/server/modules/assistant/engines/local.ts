import { searchPolicies } from '../policies.ts';
import { bestSimilarity, formatCents, parseCount, stem, words } from '../text.ts';
import {
  type OrderView,
  type StoreCategory,
  type StoreProduct,
  TOOLS,
  type ToolContext,
  toCard,
} from '../tools.ts';
import type { EngineAnswer, EngineInput, HistoryMessage } from './types.ts';

/**
 * The offline engine: intent routing and catalog search in code, no model and no key. Every price
 * and stock figure it states comes from the store read during this very prompt.
 */

// Words that carry the question's shape, not the product: never matched against product names.
const STOPWORDS = new Set(
  (
    'a an the is are was were be do does did you your yours we our i me my mine it its this that these those ' +
    'have has had any some anything something there here what which who whom how much many of for in on at to ' +
    'from by with about and or but not no yes please can could would should will shall may might tell show ' +
    'find give get list see looking look want need like wanted searching search sell sells selling carry stock ' +
    'stocked available availability left remaining price prices priced cost costs costing how cheap cheapest ' +
    'cheaper expensive priciest pricey most least lowest highest low high under over below above between than ' +
    'less more dollar dollars usd buck bucks cent cents compare comparison versus vs difference better best ' +
    'product products item items thing things store shop cartwise one ones out sold currently right now today ' +
    'still again also just only all every each unit units piece pieces add put cart basket bag into if okay ok ' +
    'hi hello hey thanks thank so up two three four five six seven eight nine ten couple pair'
  )
    .split(/\s+/)
    .map(stem),
);

const GREETING_WORDS = new Set(
  'hi hello hey hiya howdy yo good morning afternoon evening day there thanks thank you cheers ok okay great bye goodbye'.split(
    ' ',
  ),
);

interface Catalog {
  products: StoreProduct[];
  categories: StoreCategory[];
  nameStems: Map<number, string[]>;
  rarity: Map<string, number>;
  /** Products the previous reply named: what "it" and "them" refer to. */
  previous: StoreProduct[];
}

const PRONOUN = /\b(it|its|that|this|them|those|these|they|one|ones)\b/i;

interface ProductMatch {
  product: StoreProduct;
  /** How much of the question the name explains (sum over question words). */
  explained: number;
  /** How much of the name the question covers, weighted by word rarity (0–1). */
  coverage: number;
  /** Position of the first question word the name matched. */
  firstWord: number;
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

async function loadCatalog(ctx: ToolContext, message: string, history: HistoryMessage[]): Promise<Catalog> {
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
  const lastReply = history.findLast((m) => m.role === 'assistant')?.content.toLowerCase() ?? '';
  const previous = lastReply ? items.filter((p) => lastReply.includes(p.name.toLowerCase())) : [];
  return { products: items, categories, nameStems, rarity, previous };
}

function contentStems(text: string): string[] {
  return words(text)
    .filter((w) => !/^\d+$/.test(w))
    .map(stem)
    .filter((w) => !STOPWORDS.has(w) && w.length > 1);
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
function namedProducts(catalog: Catalog, text: string, excluded: Set<string> = new Set()): StoreProduct[] {
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

function categoryIn(catalog: Catalog, text: string): { category: StoreCategory; stems: Set<string> } | null {
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

interface PriceRange {
  min?: number;
  max?: number;
}

const AMOUNT = String.raw`\$?\s?(\d+(?:[.,]\d{1,2})?)\s?(?:dollars|usd|bucks|\$)?`;

function cents(amount: string): number {
  return Math.round(Number(amount.replace(',', '.')) * 100);
}

function priceRangeIn(text: string): PriceRange | null {
  const t = text.toLowerCase();
  const between = t.match(new RegExp(`(?:between|from)\\s+${AMOUNT}\\s+(?:and|to|-)\\s+${AMOUNT}`));
  if (between) return { min: cents(between[1]), max: cents(between[2]) };
  const dash = t.match(/\$(\d+(?:\.\d{1,2})?)\s?(?:-|–|to)\s?\$?(\d+(?:\.\d{1,2})?)/);
  if (dash) return { min: cents(dash[1]), max: cents(dash[2]) };
  const range: PriceRange = {};
  const max = t.match(
    new RegExp(
      `(?:under|below|less than|cheaper than|up to|at most|max(?:imum)?|within|no more than)\\s+${AMOUNT}`,
    ),
  );
  if (max) range.max = cents(max[1]);
  const min = t.match(new RegExp(`(?:over|above|more than|at least|min(?:imum)?|pricier than)\\s+${AMOUNT}`));
  if (min) range.min = cents(min[1]);
  return range.min !== undefined || range.max !== undefined ? range : null;
}

function stockPhrase(p: StoreProduct): string {
  return p.stock > 0 ? `${p.stock} in stock` : 'out of stock';
}

function productLine(p: StoreProduct): string {
  return `- ${p.name} — ${formatCents(p.priceCents)}, ${stockPhrase(p)}`;
}

function listProducts(products: StoreProduct[], limit = 8): string {
  const shown = products.slice(0, limit).map(productLine).join('\n');
  const more = products.length > limit ? `\n…and ${products.length - limit} more.` : '';
  return shown + more;
}

function answer(content: string, products: StoreProduct[] = []): EngineAnswer {
  return { content, products: products.slice(0, 8).map(toCard) };
}

const HELP =
  'I can search the catalog (by name, category or price, e.g. "headphones under $100"), tell you ' +
  'prices and stock, find the cheapest or most expensive item, compare two products, list our ' +
  'categories and explain shipping, returns, payment, privacy and contact policies. Signed in, I can ' +
  'also show your cart, orders and favorites and add products to your cart.';

const SIGN_IN_FOR = (what: string) => `Please sign in to see ${what}; I can still help you find products.`;

function orderLine(o: OrderView): string {
  const date = (o.closedAt ?? o.createdAt).slice(0, 10);
  const items = o.lines.map((l) => `${l.quantity} × ${l.name}`).join(', ');
  return `- Order #${o.id} on ${date}: ${items} — total ${formatCents(o.totalCents)}`;
}

async function myCart(ctx: ToolContext): Promise<EngineAnswer> {
  if (ctx.userId === null) return answer(SIGN_IN_FOR('your cart'));
  const cart = await ctx.store.getCart(ctx.userId);
  if (!cart || cart.lines.length === 0) return answer('Your cart is empty.');
  const lines = cart.lines.map(
    (l) =>
      `- ${l.quantity} × ${l.name} at ${formatCents(l.unitPriceCents)} = ${formatCents(l.lineTotalCents)}`,
  );
  const count = cart.lines.reduce((n, l) => n + l.quantity, 0);
  return answer(
    `Your cart has ${count} item${count === 1 ? '' : 's'}:\n${lines.join('\n')}\nTotal: ${formatCents(cart.totalCents)}.`,
  );
}

async function myOrders(ctx: ToolContext, message: string): Promise<EngineAnswer> {
  if (ctx.userId === null) return answer(SIGN_IN_FOR('your orders'));
  const orders = (await ctx.store.listOrders(ctx.userId)).filter((o) => o.status === 'CLOSED');
  const wanted = message.match(/\border\s*(?:#|no\.?|number)?\s*(\d+)/i);
  if (wanted) {
    const order = orders.find((o) => o.id === Number(wanted[1]));
    return answer(
      order
        ? `Here is that order:\n${orderLine(order)}`
        : `I can't find order #${wanted[1]} among your orders.`,
    );
  }
  if (orders.length === 0) return answer('You have no placed orders yet.');
  const latestOnly = /\b(last|latest|most recent|recent)\b/i.test(message) && !/\borders\b/i.test(message);
  const shown = latestOnly ? orders.slice(0, 1) : orders.slice(0, 5);
  const head = latestOnly
    ? 'Your latest order:'
    : `You have ${orders.length} order${orders.length === 1 ? '' : 's'}${orders.length > 5 ? '; the 5 latest' : ''}:`;
  return answer(`${head}\n${shown.map(orderLine).join('\n')}`);
}

async function myFavorites(ctx: ToolContext): Promise<EngineAnswer> {
  if (ctx.userId === null) return answer(SIGN_IN_FOR('your favorites'));
  const favorites = await ctx.store.listFavorites(ctx.userId);
  if (favorites.length === 0) return answer('You have no favorites yet.');
  return answer(`Your favorites:\n${listProducts(favorites, 20)}`, favorites);
}

async function addToCart(ctx: ToolContext, catalog: Catalog, message: string): Promise<EngineAnswer> {
  if (ctx.userId === null) return answer('Please sign in to add products to your cart.');
  const phrase = message.replace(/\b(to|in|into)\s+(my|the)?\s*(cart|basket|bag)\b.*$/i, '');
  const countWord = words(phrase).find((w, i, all) => i <= 2 + all.indexOf('add') && parseCount(w) !== null);
  const quantity = Math.min(99, Math.max(1, (countWord && parseCount(countWord)) || 1));
  const named = namedProducts(catalog, phrase);
  const candidates = named.length === 0 && PRONOUN.test(phrase) ? catalog.previous : named;
  if (candidates.length === 0)
    return answer('Which product should I add? I could not find it in the catalog.');
  if (candidates.length > 1) {
    return answer(`Which one do you mean?\n${listProducts(candidates, 5)}`, candidates);
  }
  const product = candidates[0];
  const result = await TOOLS.add_to_cart.run(ctx, { productId: product.id, quantity });
  const data = result.data as { error?: string; available?: number; cart?: { total: string } };
  if (data.error === 'insufficient_stock') {
    const fresh = (await ctx.store.getProduct(product.id)) ?? product;
    return answer(
      fresh.stock === 0
        ? `Sorry, ${fresh.name} is out of stock, so I could not add it.`
        : `I could not add ${quantity} × ${fresh.name}: only ${data.available ?? fresh.stock} more can go in your cart (${fresh.stock} in stock).`,
      [fresh],
    );
  }
  if (data.error) return answer('I could not add that product to your cart.');
  return answer(
    `Added ${quantity} × ${product.name} (${formatCents(product.priceCents)} each) to your cart. Cart total: ${data.cart?.total}.`,
    [product],
  );
}

function categoriesAnswer(catalog: Catalog): EngineAnswer {
  const lines = catalog.categories.map(
    (c) => `- ${c.name} (${c.productCount} product${c.productCount === 1 ? '' : 's'})`,
  );
  return answer(`We have ${catalog.categories.length} categories:\n${lines.join('\n')}`);
}

function policyAnswer(message: string): EngineAnswer | null {
  const passages = searchPolicies(message, { limit: 2 });
  if (passages.length === 0) return null;
  const [first, second] = passages;
  const extra = second && second.topic === first.topic ? `\n\n${second.text}` : '';
  return answer(`${first.title} — ${first.heading}: ${first.text}${extra}`);
}

function compareAnswer(catalog: Catalog, message: string): EngineAnswer | null {
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

interface Scope {
  products: StoreProduct[];
  label: string;
}

/** What a catalog question is about: named products, a category, or everything. */
function scopeOf(catalog: Catalog, message: string): Scope & { kind: 'named' | 'category' | 'all' } {
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
  if (category) {
    return {
      kind: 'category',
      products: catalog.products.filter((p) => p.category.id === category.category.id),
      label: category.category.name,
    };
  }
  if (catalog.previous.length > 0 && catalog.previous.length <= 5 && PRONOUN.test(message)) {
    return { kind: 'named', products: catalog.previous, label: 'matching products' };
  }
  return { kind: 'all', products: catalog.products, label: 'the catalog' };
}

function superlativeAnswer(scope: Scope, cheapest: boolean, inStockOnly: boolean): EngineAnswer {
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

function stockAnswer(scope: Scope & { kind: string }, message: string): EngineAnswer {
  const wantsOut = /\b(out of stock|sold out|unavailable)\b/i.test(message);
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

/** Products whose descriptions use the question's words (exact words of 4+ letters), best first. */
function describedProducts(catalog: Catalog, message: string): StoreProduct[] {
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

/** "cheaper than the Aurora headphones": products priced below (or above) a named one, same category first. */
function relativePriceAnswer(catalog: Catalog, message: string, cheaper: boolean): EngineAnswer | null {
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

function searchAnswer(catalog: Catalog, message: string, range: PriceRange | null): EngineAnswer {
  const scope = scopeOf(catalog, message);
  let pool = scope.products;
  if (range) {
    pool = pool.filter(
      (p) =>
        (range.min === undefined || p.priceCents >= range.min) &&
        (range.max === undefined || p.priceCents <= range.max),
    );
    pool = [...pool].sort((a, b) => a.priceCents - b.priceCents);
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

const RE = {
  add: /\b(add|put|throw|place)\b.*\b(cart|basket|bag)\b|^\s*(please\s+)?(add|buy)\b/i,
  cart: /\b(cart|basket|shopping bag)\b/i,
  orders:
    /\bmy\s+(last\s+|latest\s+|recent\s+|previous\s+|past\s+)?(orders?|purchases?)\b|\border\s+history\b|\bwhat\s+(did|have)\s+i\s+(buy|bought|order|ordered|purchase|purchased)\b|\bi\s+(bought|ordered|purchased)\b|\border\s*#\s*\d+|\borders\s+of\b|\borders?\b.*\buser\b/i,
  favorites: /\bfavou?rites?\b|\bwish\s?list\b|\bsaved\s+(items|products)\b/i,
  categories:
    /\bcategor(y|ies)\b|\bdepartments?\b|\bwhat\s+(kinds?|types?|sorts?)\s+of\b|\bwhat\s+(do|does)\s+(you|cartwise|the\s+store)\s+(sell|have|carry|offer)\s*\??$/i,
  policy:
    /\b(ship|shipping|shipped|deliver|delivery|deliveries|return|returns|returning|refund|refunds|exchange|warranty|pay|payment|payments|paypal|visa|mastercard|credit\s+card|privacy|personal\s+data|my\s+data|cookies?|gdpr|contact|support|phone\s+number|e-?mail|customer\s+service|reach\s+you|track|tracking|parcel|package|charge|charged|billing|located|headquarters)\b/i,
  strongPolicy:
    /\b(ship|shipping|shipped|deliver|delivery|return|returns|returning|refund|refunds|exchange|warranty|pay|payment|privacy)\b/i,
  compare: /\b(compare|comparison|vs\.?|versus|difference\s+between|differences\s+between)\b/i,
  cheapest: /\b(cheapest|least\s+expensive|lowest[-\s]priced|lowest\s+price|most\s+affordable)\b/i,
  priciest: /\b(most\s+expensive|priciest|highest[-\s]priced|highest\s+price|dearest)\b/i,
  stock:
    /\b(in\s+stock|stock|available|availability|how\s+many|left|sold\s+out|out\s+of\s+stock|have\s+any)\b/i,
  help: /\b(help|what\s+can\s+you\s+do|how\s+does\s+this\s+work|who\s+are\s+you|what\s+are\s+you)\b/i,
};

function isGreeting(message: string): boolean {
  const w = words(message);
  return w.length > 0 && w.length <= 6 && w.every((x) => GREETING_WORDS.has(x));
}

/** Routes one message to an answer. Exposed for the benchmark and the question-set test. */
export async function answerLocally(input: EngineInput): Promise<EngineAnswer> {
  const { message, ctx } = input;
  const text = message.trim();

  if (isGreeting(text)) {
    if (/\b(thanks|thank|cheers|bye|goodbye)\b/i.test(text)) {
      return answer("You're welcome! Ask me anytime about products, prices, stock or your orders.");
    }
    return answer(`Hello! I'm the Cartwise shopping assistant. ${HELP}`);
  }
  if (RE.add.test(text) && !/\b(how|can|could)\s+(do\s+)?i\s+add\b/i.test(text)) {
    return addToCart(ctx, await loadCatalog(ctx, text, input.history), text);
  }
  if (RE.orders.test(text)) return myOrders(ctx, text);
  if (RE.favorites.test(text)) return myFavorites(ctx);
  if (RE.cart.test(text) && /\b(my|in\s+the|the)\s+(cart|basket|shopping\s+bag)\b/i.test(text))
    return myCart(ctx);

  const catalog = await loadCatalog(ctx, text, input.history);
  const range = priceRangeIn(text);

  // "Does the keyboard support Bluetooth?" is about the keyboard; "can I return the keyboard?" is not.
  if (RE.policy.test(text) && (RE.strongPolicy.test(text) || scopeOf(catalog, text).kind !== 'named')) {
    const policy = policyAnswer(text);
    if (policy) return policy;
  }
  if (RE.compare.test(text)) {
    const compared = compareAnswer(catalog, text);
    if (compared) return compared;
  }
  const asksCategories = RE.categories.test(text);
  if (asksCategories && /\b(categor(y|ies)|departments?|kinds?|types?|sorts?)\b/i.test(text)) {
    const scope = scopeOf(catalog, text);
    if (scope.kind !== 'category' || /\bcategories\b/i.test(text)) return categoriesAnswer(catalog);
  }

  const relative = text.match(
    /\b(cheaper|less\s+expensive|more\s+expensive|pricier|dearer)\s+than\s+(?!\$?\d)/i,
  );
  if (relative) {
    const compared = relativePriceAnswer(catalog, text, /cheaper|less/i.test(relative[1]));
    if (compared) return compared;
  }

  const cheapest = RE.cheapest.test(text);
  const priciest = RE.priciest.test(text);
  if (cheapest || priciest) {
    const scope = scopeOf(catalog, text);
    const inStockOnly = /\b(in[\s-]stock|available)\b/i.test(text);
    return superlativeAnswer(scope, cheapest, inStockOnly);
  }
  if (RE.stock.test(text) && !range) {
    return stockAnswer(scopeOf(catalog, text), text);
  }
  if (asksCategories) return categoriesAnswer(catalog);

  const found = searchAnswer(catalog, text, range);
  if (found.products.length === 0 && !range && RE.help.test(text)) return answer(HELP);
  return found;
}
