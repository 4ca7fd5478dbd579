import { MAX_LINE_QUANTITY, type Order } from '../../../contract/orders.ts';
import type { Db, DbTransaction } from '../../db/database.ts';
import { inTransaction, isUniqueViolation } from '../../db/dialect.ts';
import { AppError, notFound } from '../../app-error.ts';
import { BatchWhileBusy } from '../../batch-while-busy.ts';
import { insufficientStock } from './cart-service.ts';
import { type CartContext, recordUserEvent } from './context.ts';
import { cartAfter } from './history.ts';
import {
  findProducts,
  insertLine,
  insertLines,
  insertOpenOrder,
  insertOpenOrders,
  type LockedCart,
  lineOf,
  lockCart,
  lockCarts,
  productIdsOf,
  setLineQuantities,
  updateLineQuantity,
} from './queries.ts';

/**
 * Adding to the cart. An add runs alone in a transaction that first locks the shopper's TEMP order;
 * adds of different shoppers that arrive while one is in flight share the next transaction, which
 * locks all their TEMP orders at once and opens the missing ones in one insert
 * (docs/decisions/179-concurrent-requests-share-round-trips.md). Every refusal, and a second add of
 * the same shopper, go alone afterwards, so each outcome and error is the one an add alone has.
 * Either way the answer is built from the locked cart and its products, not read back (decision 180).
 */

interface PendingAdd {
  ctx: CartContext;
  userId: number;
  productId: number;
  quantity: number;
}

const MAX_SHARED = 50;
const batchers = new WeakMap<Db, BatchWhileBusy<PendingAdd, Order>>();

/** Adds `quantity` to the product's line, opening the cart on the first add. */
export function addCartItem(
  ctx: CartContext,
  userId: number,
  input: { productId: number; quantity: number },
): Promise<Order> {
  let batcher = batchers.get(ctx.db);
  if (!batcher) {
    batcher = new BatchWhileBusy(addAll, { maxBatch: MAX_SHARED, maxRunning: 1 });
    batchers.set(ctx.db, batcher);
  }
  return batcher.call({ ctx, userId, productId: input.productId, quantity: input.quantity });
}

async function addAll(adds: PendingAdd[]): Promise<Array<Order | Promise<Order>>> {
  // Alone, it is awaited: the batcher stays busy meanwhile, which is what lets the next ones gather.
  if (adds.length === 1) return [await addAlone(adds[0] as PendingAdd)];
  const shared = adds.filter((add, i) => adds.findIndex((a) => a.userId === add.userId) === i);
  const { ctx } = shared[0] as PendingAdd;
  let added: Map<PendingAdd, { order: Order; lineQuantity: number }>;
  try {
    added = await inTransaction(ctx.db, (trx) => addTogether(trx, shared));
  } catch (error) {
    // Whatever failed the shared transaction, each add then meets its own outcome alone.
    ctx.log.warn({ err: error }, 'shared cart transaction failed; its adds run one by one');
    return adds.map(addAlone);
  }
  return adds.map(async (add) => {
    const done = added.get(add);
    if (!done) return addAlone(add);
    await recordAdd(add, done.lineQuantity);
    return done.order;
  });
}

/**
 * The adds of `adds` (one per user) that pass every check, in one transaction, opening the carts
 * of shoppers who have none; the others are left out of the map.
 */
async function addTogether(
  trx: DbTransaction,
  adds: PendingAdd[],
): Promise<Map<PendingAdd, { order: Order; lineQuantity: number }>> {
  const carts = await lockCarts(
    trx,
    adds.map((a) => a.userId),
  );
  const products = await findProducts(trx, [
    ...adds.map((a) => a.productId),
    ...[...carts.values()].flatMap(productIdsOf),
  ]);
  const accepted = adds.filter((add) => {
    const product = products.get(add.productId);
    const cart = carts.get(add.userId);
    const inCart = (cart && lineOf(cart, add.productId)?.quantity) ?? 0;
    return product && !product.archived && !lineRefusal(product.stock, inCart, add.quantity);
  });
  const opening = accepted.filter((a) => !carts.has(a.userId)).map((a) => a.userId);
  if (opening.length > 0) {
    // A concurrent open of one of these carts fails the insert, and with it this transaction.
    await insertOpenOrders(trx, opening, Date.now());
    for (const [userId, cart] of await lockCarts(trx, opening)) carts.set(userId, cart);
  }
  const updates: { id: number; quantity: number }[] = [];
  const inserts: { orderId: number; productId: number; quantity: number }[] = [];
  const added = new Map<PendingAdd, { order: Order; lineQuantity: number }>();
  for (const add of accepted) {
    const cart = carts.get(add.userId);
    if (!cart) continue;
    const line = lineOf(cart, add.productId);
    const wanted = (line?.quantity ?? 0) + add.quantity;
    if (line) updates.push({ id: line.id, quantity: wanted });
    else inserts.push({ orderId: cart.order.id, productId: add.productId, quantity: add.quantity });
    const order = cartAfter(cart, products, { productId: add.productId, quantity: wanted });
    added.set(add, { order, lineQuantity: wanted });
  }
  if (updates.length > 0) await setLineQuantities(trx, updates);
  if (inserts.length > 0) await insertLines(trx, inserts);
  return added;
}

/** One add in its own transaction: also opens the cart, and refuses with the precise error. */
async function addAlone(add: PendingAdd): Promise<Order> {
  const { ctx, userId, productId, quantity } = add;
  const { order, lineQuantity } = await inTransaction(ctx.db, async (trx) => {
    const open = await lockCart(trx, userId);
    const products = await findProducts(trx, [productId, ...(open ? productIdsOf(open) : [])]);
    const product = products.get(productId);
    if (!product || product.archived) throw notFound('Product');
    // A failed check below rolls the whole transaction back, a freshly opened cart included.
    const cart = open ?? (await openCart(trx, userId));
    // openCart may have found a concurrent request's cart, with lines of products not read yet.
    const unread = productIdsOf(cart).filter((id) => !products.has(id));
    if (unread.length > 0) for (const [id, p] of await findProducts(trx, unread)) products.set(id, p);
    const line = lineOf(cart, productId);
    const inCart = line?.quantity ?? 0;
    const refusal = lineRefusal(product.stock, inCart, quantity);
    if (refusal) throw refusal;
    const wanted = inCart + quantity;
    if (line) await updateLineQuantity(trx, line.id, wanted);
    else await insertLine(trx, cart.order.id, productId, quantity);
    return { order: cartAfter(cart, products, { productId, quantity: wanted }), lineQuantity: wanted };
  });
  await recordAdd(add, lineQuantity);
  return order;
}

/** Why a line holding `inCart` may not take `quantity` more, or null when it may: both paths' rule. */
function lineRefusal(stock: number, inCart: number, quantity: number): AppError | null {
  const wanted = inCart + quantity;
  if (wanted > stock) return insufficientStock(stock, inCart);
  if (wanted > MAX_LINE_QUANTITY) {
    return new AppError(409, 'quantity_limit', `A cart line holds at most ${MAX_LINE_QUANTITY}`, {
      max: MAX_LINE_QUANTITY,
      inCart,
    });
  }
  return null;
}

function recordAdd(add: PendingAdd, lineQuantity: number): Promise<void> {
  return recordUserEvent(add.ctx, add.userId, 'cart_add', {
    productId: add.productId,
    payload: { quantity: add.quantity, lineQuantity },
  });
}

/**
 * Opens the TEMP order and locks it. The unique index on `open_owner_id` is the guard: when a
 * concurrent request opened it first, the insert fails and that request's cart is locked and used.
 */
async function openCart(trx: DbTransaction, userId: number): Promise<LockedCart> {
  for (let attempt = 1; ; attempt++) {
    try {
      await insertOpenOrder(trx, userId, Date.now());
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const cart = await lockCart(trx, userId);
    if (cart) return cart;
    // The winner's cart was emptied and deleted in between: try to open ours again.
    if (attempt >= 3) throw new Error('the cart could not be opened');
  }
}
