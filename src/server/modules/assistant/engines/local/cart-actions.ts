import { bestSimilarity, formatCents, parseCount, stem, words } from '../../text.ts';
import type { CartChangeOutcome, OrderView, StoreProduct, ToolContext } from '../../tools.ts';
import type { EngineAnswer } from '../types.ts';
import type { Catalog } from './catalog-view.ts';
import { namedProducts } from './matching.ts';
import { answer, listProducts, signInTo } from './phrasing.ts';
import { INTENT_PATTERNS as P, PRONOUN } from './vocabulary.ts';

/**
 * Cart changes asked in words: add, remove, set a quantity, empty. Each does exactly what was asked
 * or asks back, and the reply states the cart as the database has it after the change.
 */

export type CartActionKind = 'add' | 'remove' | 'set' | 'clear';

export function cartActionIn(text: string): CartActionKind | null {
  if (P.clearCart.test(text)) return 'clear';
  if (P.remove.test(text)) return 'remove';
  if (P.setQuantity.test(text)) return 'set';
  if (P.add.test(text) && !P.addHowTo.test(text)) return 'add';
  return null;
}

const MAX_QUANTITY = 99;

/** "Your cart now: 2 × Aurora Headphones ($129.99 each) — total $259.98." */
export function cartState(cart: OrderView | null): string {
  if (!cart || cart.lines.length === 0) return 'Your cart is now empty.';
  const lines = cart.lines.map((l) => `${l.quantity} × ${l.name} (${formatCents(l.unitPriceCents)} each)`);
  return `Your cart now: ${lines.join(', ')} — total ${formatCents(cart.totalCents)}.`;
}

/** The product the phrase means; products already in the cart win for remove and set. */
async function resolveProduct(
  ctx: ToolContext & { userId: number },
  catalog: Catalog,
  phrase: string,
  kind: CartActionKind,
): Promise<StoreProduct[]> {
  const named = namedProducts(catalog, phrase);
  if (named.length === 0) return PRONOUN.test(phrase) && catalog.previous.length ? catalog.previous : [];
  if (named.length === 1 || kind === 'add') return named;
  const cart = await ctx.store.getCart(ctx.userId);
  const inCart = named.filter((p) => cart?.lines.some((l) => l.productId === p.id));
  return inCart.length ? inCart : named;
}

/** The count said before the product ("add two of the lamps"), not a number inside its name. */
function quantityBefore(phrase: string, product: StoreProduct | undefined): number | null {
  const w = words(phrase);
  const name = product ? words(product.name).map(stem) : [];
  const nameAt = w.findIndex((x) => !/^\d+$/.test(x) && x.length > 2 && bestSimilarity(stem(x), name) > 0);
  const before = nameAt < 0 ? w : w.slice(0, nameAt);
  for (const [i, x] of before.entries()) {
    if ((x === 'a' || x === 'an') && (before[i + 1] === 'couple' || before[i + 1] === 'pair')) return 2;
    const n = parseCount(x);
    if (n !== null && x !== 'a' && x !== 'an') return n;
  }
  return null;
}

function quantitySet(text: string): number | null {
  const m =
    text.match(/\bto\s+(\d{1,3}|zero|one|two|three|four|five|six|seven|eight|nine|ten)\b/i) ??
    text.match(
      /\b(?:only|just)\s+(?:want|need)\s+(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\b/i,
    );
  if (!m) return null;
  return m[1].toLowerCase() === 'zero' ? 0 : parseCount(m[1].toLowerCase());
}

async function refusal(
  ctx: ToolContext,
  outcome: Exclude<CartChangeOutcome, { ok: true }>,
  shown: StoreProduct,
  quantity: number,
): Promise<EngineAnswer> {
  if (outcome.reason !== 'insufficient_stock') {
    return outcome.reason === 'not_in_cart'
      ? answer(`${shown.name} is not in your cart.`, [shown])
      : answer(`${shown.name} is no longer sold, so I could not add it.`);
  }
  // The stock as it is now, not as this prompt first read it.
  const product = (await ctx.store.getProduct(shown.id)) ?? shown;
  if (product.stock === 0)
    return answer(`Sorry, ${product.name} is out of stock, so I could not add it.`, [product]);
  return answer(
    `I could not put ${quantity} × ${product.name} in your cart: only ${outcome.available} more can go in (${product.stock} in stock). Nothing was changed.`,
    [product],
  );
}

export async function cartAction(
  ctx: ToolContext,
  catalog: Catalog,
  text: string,
  kind: CartActionKind,
): Promise<EngineAnswer> {
  if (ctx.userId === null) return answer(signInTo('change your cart'));
  const user = { ...ctx, userId: ctx.userId };
  if (kind === 'clear') {
    const outcome = await ctx.store.clearCart(ctx.userId);
    return answer(outcome.ok ? `I emptied your cart. ${cartState(null)}` : 'Your cart is already empty.');
  }
  const phrase = text
    .replace(/\b(to|in|into|from|out\s+of|off)\s+(my|the)?\s*(cart|basket|bag)\b.*$/i, '')
    .replace(/\bto\s+(\d{1,3}|zero|one|two|three|four|five|six|seven|eight|nine|ten)\b.*$/i, '');
  const candidates = await resolveProduct(user, catalog, phrase, kind);
  const verb = kind === 'remove' ? 'remove' : kind === 'set' ? 'change' : 'add';
  if (candidates.length === 0)
    return answer(`Which product should I ${verb}? I could not find it in the catalog.`);
  if (candidates.length > 1)
    return answer(`Which one do you mean?\n${listProducts(candidates, 5)}`, candidates);
  const [product] = candidates;

  if (kind === 'remove') {
    const outcome = await ctx.store.removeFromCart(ctx.userId, product.id);
    if (!outcome.ok) return refusal(ctx, outcome, product, 0);
    return answer(`I removed ${product.name} from your cart. ${cartState(outcome.cart)}`, [product]);
  }
  const quantity = kind === 'set' ? quantitySet(text) : (quantityBefore(phrase, product) ?? 1);
  if (quantity === null || quantity > MAX_QUANTITY) {
    return answer(`How many ${product.name} would you like? I can put 1 to ${MAX_QUANTITY} in your cart.`, [
      product,
    ]);
  }
  if (kind === 'set') {
    const outcome = await ctx.store.setCartQuantity(ctx.userId, product.id, quantity);
    if (!outcome.ok) return refusal(ctx, outcome, product, quantity);
    const done =
      quantity === 0
        ? `I removed ${product.name} from your cart.`
        : `Your cart now holds ${quantity} × ${product.name}.`;
    return answer(`${done} ${cartState(outcome.cart)}`, [product]);
  }
  if (quantity === 0) return answer(`How many ${product.name} would you like?`, [product]);
  const outcome = await ctx.store.addToCart(ctx.userId, product.id, quantity);
  if (!outcome.ok) return refusal(ctx, outcome, product, quantity);
  return answer(`Added ${quantity} × ${product.name} to your cart. ${cartState(outcome.cart)}`, [product]);
}
