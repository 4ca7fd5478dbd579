import { MAX_LINE_QUANTITY, type Order } from '../../../contract/orders.ts';
import type { DbTransaction } from '../../db/database.ts';
import { inTransaction, isUniqueViolation } from '../../db/dialect.ts';
import { AppError, notFound } from '../../app-error.ts';
import { type OrdersContext, recordUserEvent } from './context.ts';
import { findOpenOrder, getOrder } from './history.ts';
import {
  countLines,
  deleteLine,
  deleteOrder,
  findProduct,
  insertLine,
  insertOpenOrder,
  lockLine,
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

function insufficientStock(available: number, inCart: number) {
  return new AppError(
    409,
    'insufficient_stock',
    available === 0 ? 'This product is out of stock' : `Only ${available} in stock`,
    { available, inCart },
  );
}

/**
 * Opens the TEMP order. The unique index on `open_owner_id` is the guard: when a concurrent request
 * opened it first, the insert fails and that request's order is used (its row lock is then taken).
 */
async function openCart(trx: DbTransaction, userId: number): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await insertOpenOrder(trx, userId, Date.now());
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const winner = await lockOpenOrder(trx, userId);
      if (winner) return winner.id;
      // The winner's cart was emptied and deleted in between: try to open ours again.
      if (attempt >= 3) throw error;
    }
  }
}

export function getCart(ctx: OrdersContext, userId: number): Promise<Order | null> {
  return findOpenOrder(ctx.db, userId);
}

/** Adds `quantity` to the product's line, opening the cart on the first add. */
export async function addCartItem(
  ctx: OrdersContext,
  userId: number,
  input: { productId: number; quantity: number },
): Promise<Order> {
  const { productId, quantity } = input;
  const { order, lineQuantity } = await inTransaction(ctx.db, async (trx) => {
    const open = await lockOpenOrderLine(trx, userId, productId);
    const product = await findProduct(trx, productId);
    if (!product || product.archived) throw notFound('Product');
    // A failed check below rolls the whole transaction back, a freshly opened cart included.
    const orderId = open?.orderId ?? (await openCart(trx, userId));
    // openCart may have found a concurrent request's cart, which may hold this product already.
    const line = open ? open.line : await lockLine(trx, orderId, productId);
    const inCart = line?.quantity ?? 0;
    const wanted = inCart + quantity;
    if (wanted > product.stock) throw insufficientStock(product.stock, inCart);
    if (wanted > MAX_LINE_QUANTITY) {
      throw new AppError(409, 'quantity_limit', `A cart line holds at most ${MAX_LINE_QUANTITY}`, {
        max: MAX_LINE_QUANTITY,
        inCart,
      });
    }
    if (line) await updateLineQuantity(trx, line.id, wanted);
    else await insertLine(trx, orderId, productId, quantity);
    return {
      order: await getOrder(trx, userId, orderId),
      lineQuantity: wanted,
    };
  });
  await recordUserEvent(ctx, userId, 'cart_add', { productId, payload: { quantity, lineQuantity } });
  return order;
}

/** Sets the line's quantity; 0 removes it (and the cart with its last line). */
export async function setCartItemQuantity(
  ctx: OrdersContext,
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
  ctx: OrdersContext,
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
export async function clearCart(ctx: OrdersContext, userId: number): Promise<void> {
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
