import { formatCents } from '../../text.ts';
import { type OrderView, type StoreProduct, toCard } from '../../tools.ts';
import type { EngineAnswer } from '../types.ts';

/** How the offline engine words products, orders and fixed replies. */

export function stockPhrase(p: StoreProduct): string {
  return p.stock > 0 ? `${p.stock} in stock` : 'out of stock';
}

function productLine(p: StoreProduct): string {
  return `- ${p.name} — ${formatCents(p.priceCents)}, ${stockPhrase(p)}`;
}

export function listProducts(products: StoreProduct[], limit = 8): string {
  const shown = products.slice(0, limit).map(productLine).join('\n');
  const more = products.length > limit ? `\n…and ${products.length - limit} more.` : '';
  return shown + more;
}

/** "#7K2M9QX": the number the shopper sees in their order history. */
export const orderRef = (o: OrderView) => `#${o.number ?? o.id}`;

const PAYMENT_WORDS = {
  awaiting: 'awaiting payment',
  paid: 'paid',
  refunded: 'refunded',
  failed: 'payment failed',
};
const FULFILMENT_WORDS = {
  unfulfilled: 'not shipped yet',
  shipped: 'shipped',
  delivered: 'delivered',
  cancelled: 'cancelled',
};

/** "paid, shipped": where a placed order stands, in words. */
export function orderState(o: OrderView): string {
  if (o.fulfillmentStatus === 'cancelled')
    return o.paymentStatus === 'refunded' ? 'cancelled and refunded' : 'cancelled';
  const parts = [
    o.paymentStatus && PAYMENT_WORDS[o.paymentStatus],
    o.fulfillmentStatus && FULFILMENT_WORDS[o.fulfillmentStatus],
  ];
  return parts.filter(Boolean).join(', ');
}

export function orderLine(o: OrderView): string {
  const date = (o.closedAt ?? o.createdAt).slice(0, 10);
  const items = o.lines.map((l) => `${l.quantity} × ${l.name}`).join(', ');
  const state = orderState(o);
  return `- Order ${orderRef(o)} on ${date}: ${items} — total ${formatCents(o.totalCents)}${state ? ` (${state})` : ''}`;
}

export function answer(content: string, products: StoreProduct[] = []): EngineAnswer {
  return { content, products: products.slice(0, 8).map(toCard) };
}

export const HELP =
  'I can search the catalog (by name, category or price, e.g. "headphones under $100"), tell you ' +
  'prices and stock, find the cheapest or most expensive item, compare two products, list our ' +
  'categories and explain shipping, returns, payment, privacy and contact policies. Signed in, I can ' +
  'also show your cart, orders and favorites and add products to your cart.';

/** The shop's sign-in page, as a same-origin link the chat renders. */
const SIGN_IN_LINK = '[sign in](/login)';

export const signInFor = (what: string) =>
  `Please ${SIGN_IN_LINK} to see ${what}; I can still help you find products.`;

export const signInTo = (what: string) =>
  `Please ${SIGN_IN_LINK} to ${what}; I can still help you find products.`;
