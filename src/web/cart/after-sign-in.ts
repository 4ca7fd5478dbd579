import { useEffect, useRef } from 'react';
import { api, isApiError, unwrap } from '../api/client.ts';
import { keys, useMe } from '../api/hooks.ts';
import { queryClient } from '../api/query-client.ts';
import type { Product } from '../api/types.ts';
import { useNotify } from '../components/Notifications.tsx';
import { clearGuestCart, guestLines } from './guest-cart.ts';

// What happens right after signing in or registering, wherever it happened: the guest's cart is
// merged into the TEMP order (each line through the API, so its stock rules apply), and the action
// that sent the guest to the login page (saving a favorite) is completed.

const PENDING_KEY = 'cartwise.afterSignIn';

interface PendingFavorite {
  kind: 'favorite';
  productId: number;
  name: string;
}

/** Remembers an action to complete once the guest has signed in (this tab only). */
export function completeAfterSignIn(action: PendingFavorite) {
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(action));
}

function takePending(): PendingFavorite | null {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  try {
    const data = raw ? JSON.parse(raw) : null;
    return data?.kind === 'favorite' && Number.isInteger(data.productId) ? data : null;
  } catch {
    return null;
  }
}

/** A product's name for the notice (signing in empties the query cache, so it may need a fetch). */
const nameOf = (productId: number): Promise<string> =>
  queryClient
    .fetchQuery({
      queryKey: keys.product(productId),
      queryFn: () => unwrap(api.GET('/api/products/{id}', { params: { path: { id: productId } } })),
    })
    .then(
      (p: Product) => p.name,
      () => `Product ${productId}`,
    );

/**
 * Adds each guest line to the signed-in user's cart. A line the stock cannot cover is added up to
 * what is left (or not at all); the answer lists what could not be merged, in words.
 */
export async function mergeGuestCart(): Promise<{ merged: number; problems: string[] }> {
  const lines = guestLines();
  const problems: string[] = [];
  let merged = 0;
  for (const { productId, quantity } of lines) {
    const add = (q: number) => unwrap(api.POST('/api/cart/items', { body: { productId, quantity: q } }));
    try {
      await add(quantity);
      merged += quantity;
    } catch (error) {
      if (isApiError(error, 'insufficient_stock')) {
        const room = Number(error.problem.available ?? 0) - Number(error.problem.inCart ?? 0);
        if (
          room > 0 &&
          (await add(room).then(
            () => true,
            () => false,
          ))
        ) {
          merged += room;
          problems.push(
            `${await nameOf(productId)}: only ${room} of ${quantity} added (the rest is not in stock)`,
          );
        } else {
          problems.push(`${await nameOf(productId)}: not added, none left in stock`);
        }
      } else if (isApiError(error) && error.status === 404) {
        problems.push(`${await nameOf(productId)}: not added, no longer available`);
      } else {
        problems.push(
          `${await nameOf(productId)}: not added (${isApiError(error) ? error.message : 'an error'})`,
        );
      }
    }
  }
  clearGuestCart();
  await queryClient.invalidateQueries({ queryKey: keys.cart });
  return { merged, problems };
}

/** Runs the merge and the pending action once per sign-in; mounted once, in the Layout. */
export function useAfterSignIn() {
  const { data: me } = useMe();
  const notify = useNotify();
  const running = useRef(false);
  useEffect(() => {
    if (!me || running.current) return;
    const pending = sessionStorage.getItem(PENDING_KEY) ? takePending() : null;
    if (guestLines().length === 0 && !pending) return;
    running.current = true;
    (async () => {
      if (guestLines().length > 0) {
        const { merged, problems } = await mergeGuestCart();
        if (merged > 0) notify.success(`Your cart from before signing in is saved: ${merged} added.`);
        if (problems.length > 0)
          notify.notify('error', `Some items could not be moved to your cart. ${problems.join('; ')}.`);
      }
      if (pending) {
        try {
          await unwrap(
            api.PUT('/api/favorites/{productId}', { params: { path: { productId: pending.productId } } }),
          );
          await queryClient.invalidateQueries({ queryKey: keys.favorites });
          await queryClient.invalidateQueries({ queryKey: keys.products });
          notify.success(`Saved ${pending.name} to favorites.`);
        } catch (error) {
          notify.failure(error, `Could not save ${pending.name} to favorites.`);
        }
      }
    })().finally(() => {
      running.current = false;
    });
  }, [me, notify]);
}
