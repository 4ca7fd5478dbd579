import type { EngineAnswer, EngineInput } from '../types.ts';
import { myCart, myFavorites, myOrders, totalFollowUp } from './account-answers.ts';
import { cartAction, cartActionIn } from './cart-actions.ts';
import {
  cannotAnswer,
  categoriesAnswer,
  compareAnswer,
  countAnswer,
  policyAnswer,
  relativePriceAnswer,
  searchAnswer,
  stockAnswer,
  superlativeAnswer,
} from './catalog-answers.ts';
import { loadCatalog } from './catalog-view.ts';
import { type Scope, scopeOf } from './matching.ts';
import { answer, HELP } from './phrasing.ts';
import { type PriceRange, priceRangeIn } from './price-range.ts';
import { INTENT_PATTERNS as P, isGreeting } from './vocabulary.ts';

/**
 * The offline engine: intent routing and catalog search in code, no model and no key. Every price
 * and stock figure it states comes from the store read during this very prompt.
 */

/** What a message asks for, read once from its text. */
interface Intent {
  greeting: boolean;
  thanks: boolean;
  cartAction: ReturnType<typeof cartActionIn>;
  unsupported: boolean;
  orders: boolean;
  count: boolean;
  total: boolean;
  buyNow: boolean;
  favorites: boolean;
  ownCart: boolean;
  policy: boolean;
  strongPolicy: boolean;
  compare: boolean;
  categories: boolean;
  categoryWord: boolean;
  relative: RegExpMatchArray | null;
  cheapest: boolean;
  priciest: boolean;
  stock: boolean;
  inStockOnly: boolean;
  outOfStock: boolean;
  help: boolean;
  range: PriceRange | null;
}

function readIntent(text: string): Intent {
  return {
    greeting: isGreeting(text),
    thanks: P.thanks.test(text),
    cartAction: cartActionIn(text),
    unsupported: P.unsupported.test(text),
    orders: P.orders.test(text),
    count: P.count.test(text),
    total: P.total.test(text),
    buyNow: P.buyNow.test(text),
    favorites: P.favorites.test(text),
    ownCart: P.cart.test(text) && P.ownCart.test(text),
    policy: P.policy.test(text),
    strongPolicy: P.strongPolicy.test(text),
    compare: P.compare.test(text),
    categories: P.categories.test(text),
    categoryWord: P.categoryWord.test(text),
    relative: text.match(P.relative),
    cheapest: P.cheapest.test(text),
    priciest: P.priciest.test(text),
    stock: P.stock.test(text),
    inStockOnly: P.inStockOnly.test(text),
    outOfStock: P.outOfStock.test(text),
    help: P.help.test(text),
    range: priceRangeIn(text),
  };
}

/** Routes one message to an answer. Exposed for the benchmark and the question-set test. */
export async function answerLocally(input: EngineInput): Promise<EngineAnswer> {
  const { ctx } = input;
  const text = input.message.trim();
  const intent = readIntent(text);

  if (intent.greeting) {
    if (intent.thanks) {
      return answer("You're welcome! Ask me anytime about products, prices, stock or your orders.");
    }
    return answer(`Hello! I'm the Cartwise shopping assistant. ${HELP}`);
  }
  if (intent.unsupported) return cannotAnswer(text);
  if (intent.cartAction) {
    return cartAction(ctx, await loadCatalog(ctx, text, input.history), text, intent.cartAction);
  }
  if (intent.orders) return myOrders(ctx, text);
  if (intent.favorites) return myFavorites(ctx);
  if (intent.ownCart) return myCart(ctx);
  if (intent.total) {
    const lastReply = input.history.findLast((m) => m.role === 'assistant')?.content ?? '';
    const total = await totalFollowUp(ctx, lastReply);
    if (total) return total;
  }

  const catalog = await loadCatalog(ctx, text, input.history);
  let scope: Scope | undefined;
  const scopeOfText = () => {
    scope ??= scopeOf(catalog, text);
    return scope;
  };

  // "Does the keyboard support Bluetooth?" is about the keyboard; "can I return the keyboard?" is not.
  if (intent.policy && (intent.strongPolicy || scopeOfText().kind !== 'named')) {
    const policy = policyAnswer(text);
    if (policy) return policy;
  }
  if (intent.compare) {
    const compared = compareAnswer(catalog, text);
    if (compared) return compared;
  }
  if (intent.categories && intent.categoryWord) {
    if (scopeOfText().kind !== 'category' || /\bcategories\b/i.test(text)) return categoriesAnswer(catalog);
  }
  if (intent.relative) {
    const compared = relativePriceAnswer(catalog, text, /cheaper|less/i.test(intent.relative[1]));
    if (compared) return compared;
  }
  if (intent.cheapest || intent.priciest) {
    return superlativeAnswer(scopeOfText(), intent.cheapest, intent.inStockOnly || intent.buyNow);
  }
  if (intent.count && scopeOfText().kind !== 'named') {
    return countAnswer(ctx, catalog, scopeOfText(), intent);
  }
  if (
    intent.stock &&
    !intent.range &&
    (scopeOfText().kind === 'named' || !intent.buyNow || intent.outOfStock)
  ) {
    return stockAnswer(scopeOfText(), intent.outOfStock);
  }
  if (intent.categories) return categoriesAnswer(catalog);

  const inStockOnly = intent.buyNow && scopeOfText().kind !== 'named';
  const found = searchAnswer(catalog, text, scopeOfText(), intent.range, inStockOnly);
  if (found.products.length === 0 && !intent.range && intent.help) return answer(HELP);
  return found;
}
