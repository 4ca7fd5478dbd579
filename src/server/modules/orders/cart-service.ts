import type { Order } from '../../../contract/orders.ts';
import { inTransaction } from '../../db/dialect.ts';
import { AppError } from '../../app-error.ts';
import { type CartContext, recordUserEvent } from './context.ts';
import { cartAfter, findOpenOrder } from './history.ts';
import {
  deleteLine,
  deleteOrder,
  findProducts,
  lineOf,
  lockCart,
  productIdsOf,
  updateLineQuantity,
} from './queries.ts';

/**
 * The cart is the user's one TEMP order. Every change runs in one transaction that first locks that
 * order row, so changes of one user's cart, and a checkout of it, happen one after another. A
 * change answers with the cart built from its locked rows, not read back (decision 180).
 */

export const noOpenOrder = () => new AppError(404, 'no_open_order', 'There is no open cart');
const notInCart = () => new AppError(404, 'not_in_cart', 'That product is not in the cart');

export function insufficientStock(available: number, inCart: number) {
  return new AppError(
    409,
    'insufficient_stock',
    available === 0 ? 'This product is out of stock' : `Only ${available} in stock`,
    { available, inCart },
  );
}

export function getCart(ctx: CartContext, userId: number): Promise<Order | null> {
  return findOpenOrder(ctx.db, userId);
}

/** Sets the line's quantity; 0 removes it (and the cart with its last line). */
export async function setCartItemQuantity(
  ctx: CartContext,
  userId: number,
  productId: number,
  quantity: number,
): Promise<Order | null> {
  if (quantity === 0) return removeCartItem(ctx, userId, productId);
  const { order, previous } = await inTransaction(ctx.db, async (trx) => {
    const cart = await lockCart(trx, userId);
    const line = cart && lineOf(cart, productId);
    if (!cart || !line) throw notInCart();
    const products = await findProducts(trx, productIdsOf(cart));
    const product = products.get(productId);
    const available = product && !product.archived ? product.stock : 0;
    if (quantity > available) throw insufficientStock(available, line.quantity);
    await updateLineQuantity(trx, line.id, quantity);
    return { order: cartAfter(cart, products, { productId, quantity }), previous: line.quantity };
  });
  await recordUserEvent(ctx, userId, 'cart_set', { productId, payload: { quantity, previous } });
  return order;
}

/** Removes the product's line; removing the last line deletes the TEMP order (returns null). */
export async function removeCartItem(
  ctx: CartContext,
  userId: number,
  productId: number,
): Promise<Order | null> {
  const { order, removed } = await inTransaction(ctx.db, async (trx) => {
    const cart = await lockCart(trx, userId);
    const line = cart && lineOf(cart, productId);
    if (!cart || !line) throw notInCart();
    if (cart.lines.length === 1) {
      // Its lines go with it (ON DELETE CASCADE).
      await deleteOrder(trx, cart.order.id);
      return { order: null, removed: line.quantity };
    }
    await deleteLine(trx, cart.order.id, productId);
    const products = await findProducts(trx, productIdsOf(cart));
    return { order: cartAfter(cart, products, { productId, quantity: 0 }), removed: line.quantity };
  });
  await recordUserEvent(ctx, userId, 'cart_remove', { productId, payload: { quantity: removed } });
  return order;
}

/** Deletes the whole TEMP order. */
export async function clearCart(ctx: CartContext, userId: number): Promise<void> {
  const lines = await inTransaction(ctx.db, async (trx) => {
    const cart = await lockCart(trx, userId);
    if (!cart) throw noOpenOrder();
    await deleteOrder(trx, cart.order.id);
    return cart.lines.toSorted((a, b) => a.productId - b.productId);
  });
  for (const line of lines) {
    await recordUserEvent(ctx, userId, 'cart_remove', {
      productId: line.productId,
      payload: { quantity: line.quantity, cartCleared: true },
    });
  }
}
