import type { Order } from '../../../contract/orders.ts';
import { inTransaction } from '../../db/dialect.ts';
import { AppError } from '../../app-error.ts';
import { type CartContext, recordUserEvent } from './context.ts';
import { findOpenOrder, getOrder } from './history.ts';
import {
  countLines,
  deleteLine,
  deleteOrder,
  findProduct,
  lockLines,
  lockOpenOrder,
  lockOpenOrderLine,
  updateLineQuantity,
} from './queries.ts';

/**
 * The cart is the user's one TEMP order. Every change runs in one transaction that first locks that
 * order row, so changes of one user's cart, and a checkout of it, happen one after another.
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
    const open = await lockOpenOrderLine(trx, userId, productId);
    const line = open?.line;
    if (!open || !line) throw notInCart();
    const product = await findProduct(trx, productId);
    const available = product && !product.archived ? product.stock : 0;
    if (quantity > available) throw insufficientStock(available, line.quantity);
    await updateLineQuantity(trx, line.id, quantity);
    return { order: await getOrder(trx, userId, open.orderId), previous: line.quantity };
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
    const open = await lockOpenOrderLine(trx, userId, productId);
    const line = open?.line;
    if (!open || !line) throw notInCart();
    await deleteLine(trx, open.orderId, productId);
    if ((await countLines(trx, open.orderId)) === 0) {
      await deleteOrder(trx, open.orderId);
      return { order: null, removed: line.quantity };
    }
    return { order: await getOrder(trx, userId, open.orderId), removed: line.quantity };
  });
  await recordUserEvent(ctx, userId, 'cart_remove', { productId, payload: { quantity: removed } });
  return order;
}

/** Deletes the whole TEMP order. */
export async function clearCart(ctx: CartContext, userId: number): Promise<void> {
  const lines = await inTransaction(ctx.db, async (trx) => {
    const open = await lockOpenOrder(trx, userId);
    if (!open) throw noOpenOrder();
    const current = await lockLines(trx, open.id);
    await deleteOrder(trx, open.id);
    return current;
  });
  for (const line of lines) {
    await recordUserEvent(ctx, userId, 'cart_remove', {
      productId: line.productId,
      payload: { quantity: line.quantity, cartCleared: true },
    });
  }
}
