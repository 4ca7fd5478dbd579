import { formatCents, parseCount, words } from '../../text.ts';
import { TOOLS, type ToolContext } from '../../tools.ts';
import type { EngineAnswer } from '../types.ts';
import type { Catalog } from './catalog-view.ts';
import { namedProducts } from './matching.ts';
import { answer, listProducts, orderLine, signInFor } from './phrasing.ts';
import { PRONOUN } from './vocabulary.ts';

/** Answers about the signed-in shopper's own things: cart, orders, favorites, adding to the cart. */

export async function myCart(ctx: ToolContext): Promise<EngineAnswer> {
  if (ctx.userId === null) return answer(signInFor('your cart'));
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

export async function myOrders(ctx: ToolContext, message: string): Promise<EngineAnswer> {
  if (ctx.userId === null) return answer(signInFor('your orders'));
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

export async function myFavorites(ctx: ToolContext): Promise<EngineAnswer> {
  if (ctx.userId === null) return answer(signInFor('your favorites'));
  const favorites = await ctx.store.listFavorites(ctx.userId);
  if (favorites.length === 0) return answer('You have no favorites yet.');
  return answer(`Your favorites:\n${listProducts(favorites, 20)}`, favorites);
}

export async function addToCart(ctx: ToolContext, catalog: Catalog, message: string): Promise<EngineAnswer> {
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
