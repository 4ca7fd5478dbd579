import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { ApiError, api, unwrap } from '../api/client.ts';
import { keys, useMe } from '../api/hooks.ts';
import { queryClient } from '../api/query-client.ts';
import type { Order, OrderLine, User } from '../api/types.ts';
import { guestLines, setGuestQuantity, subscribeGuestCart } from './guest-cart.ts';

// One cart for the whole web app: the signed-in user's TEMP order from the API, or a guest's lines
// kept in the browser (guest-cart.ts) priced from the catalog. Writes go to whichever applies and
// answer alike, so the header badge, the cart page and every Add button share one code path.

export type CartLine = Pick<
  OrderLine,
  'productId' | 'name' | 'imageUrl' | 'unitPriceCents' | 'quantity' | 'lineTotalCents' | 'stock'
>;

export interface CartView {
  /** The TEMP order's id; null for a guest's cart. */
  orderId: number | null;
  lines: CartLine[];
  totalCents: number;
  /** Units in the cart (the header badge). */
  count: number;
  guest: boolean;
}

const viewOf = (orderId: number | null, lines: CartLine[], guest: boolean): CartView => ({
  orderId,
  lines,
  guest,
  totalCents: lines.reduce((sum, l) => sum + l.lineTotalCents, 0),
  count: lines.reduce((sum, l) => sum + l.quantity, 0),
});

const productQuery = (id: number) => ({
  queryKey: keys.product(id),
  queryFn: () => unwrap(api.GET('/api/products/{id}', { params: { path: { id } } })),
});

/**
 * The cart, refetched when the window regains focus and (Layout) on every navigation, so changes
 * made in another tab or by the assistant show up.
 */
export function useCart(): { cart: CartView | undefined; error: Error | null } {
  const { data: me, isPending: mePending } = useMe();
  const signedIn = !!me;
  const server = useQuery({
    queryKey: keys.cart,
    queryFn: async () => (await unwrap(api.GET('/api/cart'))).order,
    enabled: signedIn,
    refetchOnWindowFocus: true,
  });
  const local = useSyncExternalStore(subscribeGuestCart, guestLines);
  const products = useQueries({
    queries: signedIn || mePending ? [] : local.map((l) => ({ ...productQuery(l.productId), retry: false })),
  });
  if (mePending) return { cart: undefined, error: null };
  if (signedIn) {
    const order = server.data;
    return {
      cart: order === undefined ? undefined : viewOf(order?.id ?? null, order?.lines ?? [], false),
      error: server.error,
    };
  }
  if (products.some((p) => p.isPending)) return { cart: undefined, error: null };
  // A product that is gone (archived, deleted) simply drops out of a guest's cart.
  const lines = local.flatMap((l, i): CartLine[] => {
    const p = products[i].data;
    if (!p) return [];
    const unitPriceCents = p.priceCents;
    return [
      {
        productId: p.id,
        name: p.name,
        imageUrl: p.imageUrl,
        unitPriceCents,
        quantity: l.quantity,
        lineTotalCents: unitPriceCents * l.quantity,
        stock: p.stock,
      },
    ];
  });
  return { cart: viewOf(null, lines, true), error: null };
}

const isGuest = () => queryClient.getQueryData<User | null>(keys.me) == null;

/** The same 409 the API answers, so guests and shoppers see the same notification. */
function insufficientStock(available: number, inCart: number) {
  return new ApiError(409, 'insufficient_stock', `Only ${available} in stock`, { available, inCart });
}

/** A guest's write: checked against the product's current stock, as the API would. */
async function writeGuestLine(productId: number, quantity: number) {
  if (quantity > 0) {
    const product = await queryClient.fetchQuery({ ...productQuery(productId), staleTime: 0 });
    const inCart = guestLines().find((l) => l.productId === productId)?.quantity ?? 0;
    if (quantity > product.stock) throw insufficientStock(product.stock, inCart);
  }
  setGuestQuantity(productId, quantity);
}

/** Cart writes answer with the new TEMP order (nothing for a guest); orders refresh after. */
function useCartMutation<V>(request: (vars: V) => Promise<{ order: Order | null } | null | undefined>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: (result) => {
      if (result) client.setQueryData(keys.cart, result.order);
    },
    onSettled: () => {
      client.invalidateQueries({ queryKey: keys.cart });
      client.invalidateQueries({ queryKey: keys.orders });
    },
  });
}

export const useAddToCart = () =>
  useCartMutation(async ({ productId, quantity }: { productId: number; quantity: number }) => {
    if (!isGuest()) return unwrap(api.POST('/api/cart/items', { body: { productId, quantity } }));
    const inCart = guestLines().find((l) => l.productId === productId)?.quantity ?? 0;
    await writeGuestLine(productId, inCart + quantity);
    return undefined;
  });

export const useSetQuantity = () =>
  useCartMutation(async ({ productId, quantity }: { productId: number; quantity: number }) => {
    if (!isGuest()) {
      return unwrap(
        api.PUT('/api/cart/items/{productId}', { params: { path: { productId } }, body: { quantity } }),
      );
    }
    await writeGuestLine(productId, quantity);
    return undefined;
  });

export const useRemoveLine = () =>
  useCartMutation(async (productId: number) => {
    if (!isGuest()) {
      return unwrap(api.DELETE('/api/cart/items/{productId}', { params: { path: { productId } } }));
    }
    await writeGuestLine(productId, 0);
    return undefined;
  });

export const useDeleteCart = () => useCartMutation(() => unwrap(api.DELETE('/api/cart')));
