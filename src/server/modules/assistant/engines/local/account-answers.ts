import { formatCents } from '../../text.ts';
import type { OrderView, ToolContext } from '../../tools.ts';
import type { EngineAnswer } from '../types.ts';
import { normaliseOrderNumber } from '../../../orders/order-number.ts';
import { answer, listProducts, orderLine, orderRef, orderState, signInFor } from './phrasing.ts';

/** Answers about the signed-in shopper's own things: cart, orders, favorites. */

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

function placedOrders(orders: OrderView[]): OrderView[] {
  return orders.filter((o) => o.status === 'CLOSED');
}

function oneOrder(head: string, o: OrderView): string {
  const date = (o.closedAt ?? o.createdAt).slice(0, 10);
  const lines = o.lines.map(
    (l) =>
      `- ${l.quantity} × ${l.name} at ${formatCents(l.unitPriceCents)} = ${formatCents(l.lineTotalCents)}`,
  );
  const state = orderState(o);
  return `${head} order ${orderRef(o)}, placed on ${date}, came to ${formatCents(o.totalCents)}${state ? ` (${state})` : ''}:\n${lines.join('\n')}`;
}

/** Order "#7K2M9QX" (its public number, look-alike letters forgiven) among the shopper's own. */
function findOrder(orders: OrderView[], ref: string): OrderView | undefined {
  const number = normaliseOrderNumber(ref);
  return (
    (number ? orders.find((o) => o.number === number) : undefined) ??
    // An internal id still finds the order: only the shopper's own are searched.
    (/^\d+$/.test(ref) ? orders.find((o) => o.id === Number(ref)) : undefined)
  );
}

export async function myOrders(ctx: ToolContext, message: string): Promise<EngineAnswer> {
  if (ctx.userId === null) return answer(signInFor('your orders'));
  // Only the session user's own orders are ever read; a foreign id simply is not among them.
  const orders = placedOrders(await ctx.store.listOrders(ctx.userId));
  const wanted = message.match(/\border\s*(?:#|no\.?|number)\s*([0-9a-z]+)|#\s*([0-9a-z]+)/i);
  if (wanted) {
    const ref = wanted[1] ?? wanted[2];
    const order = findOrder(orders, ref);
    return answer(order ? oneOrder('Your', order) : `I can't find order #${ref} among your orders.`);
  }
  if (orders.length === 0) return answer('You have no placed orders yet.');
  if (/\bhow\s+many\b/i.test(message)) {
    return answer(
      `You have placed ${orders.length} order${orders.length === 1 ? '' : 's'}.\n${orders.slice(0, 5).map(orderLine).join('\n')}`,
    );
  }
  if (/\bfirst\b/i.test(message)) return answer(oneOrder('Your first', orders[orders.length - 1]));
  const latestOnly =
    /\b(last|latest|most\s+recent|previous|recent)\b/i.test(message) && !/\borders\b/i.test(message);
  if (latestOnly) return answer(oneOrder('Your latest', orders[0]));
  const head = `You have ${orders.length} placed order${orders.length === 1 ? '' : 's'}${orders.length > 5 ? '; the 5 latest' : ''}:`;
  return answer(`${head}\n${orders.slice(0, 5).map(orderLine).join('\n')}`);
}

/** "what did that come to?": the total of the order or cart the previous reply was about. */
export async function totalFollowUp(ctx: ToolContext, lastReply: string): Promise<EngineAnswer | null> {
  if (ctx.userId === null) return null;
  const ref = lastReply.match(/\border\s*#([0-9a-z]+)/i);
  if (ref) {
    const order = findOrder(placedOrders(await ctx.store.listOrders(ctx.userId)), ref[1]);
    if (order) return answer(`Order ${orderRef(order)} came to ${formatCents(order.totalCents)}.`);
  }
  if (/\byour cart\b/i.test(lastReply)) {
    const cart = await ctx.store.getCart(ctx.userId);
    if (!cart || cart.lines.length === 0) return answer('Your cart is empty, so it comes to $0.00.');
    return answer(`Your cart comes to ${formatCents(cart.totalCents)}.`);
  }
  return null;
}

export async function myFavorites(ctx: ToolContext): Promise<EngineAnswer> {
  if (ctx.userId === null) return answer(signInFor('your favorites'));
  const favorites = await ctx.store.listFavorites(ctx.userId);
  if (favorites.length === 0) return answer('You have no favorites yet.');
  return answer(`Your favorites:\n${listProducts(favorites, 20)}`, favorites);
}
