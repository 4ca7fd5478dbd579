import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, isApiError, unwrap } from './client.ts';
import type { ProfileInput, QueryOf, RegisterInput, User } from './types.ts';

export const keys = {
  me: ['me'] as const,
  cart: ['cart'] as const,
  orders: ['orders'] as const,
  favorites: ['favorites'] as const,
  categories: ['categories'] as const,
  products: ['products'] as const,
  product: (id: number) => ['products', 'one', id] as const,
};

/** The signed-in user, or null for a guest. */
export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async () => {
      // 200 for guests too (`user: null`): no 401 in the console on every guest page load.
      return (await unwrap(api.GET('/api/auth/session'))).user;
    },
    staleTime: 5 * 60_000,
  });
}

export function useOrders() {
  return useQuery({ queryKey: keys.orders, queryFn: () => unwrap(api.GET('/api/orders')) });
}

export function useFavorites(enabled = true) {
  return useQuery({ queryKey: keys.favorites, queryFn: () => unwrap(api.GET('/api/favorites')), enabled });
}

export function useCategories() {
  return useQuery({
    queryKey: keys.categories,
    queryFn: () => unwrap(api.GET('/api/categories')),
    staleTime: 5 * 60_000,
  });
}

export type ProductQuery = QueryOf<'/api/products'>;

export function useProducts(query: ProductQuery) {
  return useQuery({
    queryKey: [...keys.products, 'list', query],
    queryFn: ({ signal }) => unwrap(api.GET('/api/products', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

/**
 * "Related products" from the free-text search (`GET /api/search`: words over name, description
 * and category, typo-tolerant), asked only when `enabled` (the strict name search found nothing).
 */
export function useRelatedProducts(q: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: [...keys.products, 'related', q],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/search', { params: { query: { q: q ?? '', pageSize: 12 } }, signal })),
    enabled: enabled && !!q?.trim(),
  });
}

export function useProduct(id: number) {
  return useQuery({
    queryKey: keys.product(id),
    queryFn: () => unwrap(api.GET('/api/products/{id}', { params: { path: { id } } })),
    enabled: Number.isInteger(id) && id > 0,
  });
}

/** How long a checkout may take before the web app reports it as unconfirmed (and retryable). */
const CHECKOUT_TIMEOUT_MS = 30_000;

/**
 * The `Idempotency-Key` of the purchase attempt in progress, per cart (TEMP order id), kept for the
 * life of the tab so that leaving the orders page and coming back still retries with it.
 * Rule: docs/decisions/055-web-checkout-idempotency-key.md.
 */
const checkoutKeys = new Map<number, string>();

function newIdempotencyKey(): string {
  // randomUUID needs a secure context (HTTPS or localhost); getRandomValues works everywhere.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * No answer (network failure, timeout) or a transient one (408, 429, 5xx): the purchase may or may
 * not have happened. Only a retry with the same key can tell, and it cannot buy twice.
 */
export function checkoutUnconfirmed(error: unknown): boolean {
  return (
    !isApiError(error) ||
    error.status === 0 ||
    error.status === 408 ||
    error.status === 429 ||
    error.status >= 500
  );
}

/**
 * Answers the checkout gives only after looking the key up: nothing was ever bought with it, and
 * the cart as it stands cannot be bought. The next attempt is a new one, with a new key.
 */
const CART_REFUSALS = new Set(['insufficient_stock', 'order_too_large', 'no_open_order']);

/**
 * Buys the cart `orderId` with an `Idempotency-Key` that stays the same across retries until the
 * purchase succeeds or the checkout refuses the cart (see `CART_REFUSALS`).
 */
export function useCheckout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ orderId, shippingAddress }: { orderId: number; shippingAddress: string }) => {
      let key = checkoutKeys.get(orderId);
      if (!key) {
        key = newIdempotencyKey();
        checkoutKeys.set(orderId, key);
      }
      const signal = AbortSignal.timeout(CHECKOUT_TIMEOUT_MS);
      try {
        return await unwrap(
          api.POST('/api/cart/checkout', {
            body: { shippingAddress },
            headers: { 'Idempotency-Key': key },
            signal,
          }),
        );
      } catch (error) {
        if (error instanceof ApiError) throw error;
        // The timeout, or a connection cut while the answer was being read.
        throw signal.aborted
          ? new ApiError(0, 'timeout', 'The store did not answer in time.')
          : new ApiError(0, 'network_error', 'The connection to the store was lost.');
      }
    },
    onSuccess: (_order, { orderId }) => {
      checkoutKeys.delete(orderId);
      client.setQueryData(keys.cart, null);
    },
    onError: (error, { orderId }) => {
      if (isApiError(error) && CART_REFUSALS.has(error.code)) checkoutKeys.delete(orderId);
    },
    onSettled: (_order, error) => {
      client.invalidateQueries({ queryKey: keys.products });
      // Unconfirmed: keep showing the cart, so that pressing Purchase again retries with the key.
      if (error && checkoutUnconfirmed(error)) return;
      client.invalidateQueries({ queryKey: keys.cart });
      client.invalidateQueries({ queryKey: keys.orders });
    },
  });
}

export function useToggleFavorite() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ productId, favorite }: { productId: number; favorite: boolean }) =>
      unwrap(
        favorite
          ? api.PUT('/api/favorites/{productId}', { params: { path: { productId } } })
          : api.DELETE('/api/favorites/{productId}', { params: { path: { productId } } }),
      ),
    onSettled: () => {
      client.invalidateQueries({ queryKey: keys.favorites });
      client.invalidateQueries({ queryKey: keys.products });
    },
  });
}

/** After login, register, logout or deletion every per-user view must be refetched. */
export function useSessionChange() {
  const client = useQueryClient();
  return (user: User | null) => {
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'categories' });
    client.setQueryData(keys.me, user);
  };
}

export function useLogin() {
  const changed = useSessionChange();
  return useMutation({
    mutationFn: (v: { username: string; password: string }) =>
      unwrap(api.POST('/api/auth/login', { body: v })),
    onSuccess: (r) => changed(r.user),
  });
}

export function useRegister() {
  const changed = useSessionChange();
  return useMutation({
    mutationFn: (v: RegisterInput) => unwrap(api.POST('/api/auth/register', { body: v })),
    onSuccess: (r) => changed(r.user),
  });
}

// Logout and deletion leave the session change to the caller, which first navigates away from
// pages that would otherwise bounce a guest to the login form.
export function useLogout() {
  return useMutation({ mutationFn: () => unwrap(api.POST('/api/auth/logout')) });
}

export function useUpdateProfile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: ProfileInput) => unwrap(api.PATCH('/api/me', { body: v })),
    onSuccess: (user) => client.setQueryData(keys.me, user),
  });
}

/** Deleting the account needs the current password (re-authentication). */
export function useDeleteAccount() {
  return useMutation({
    mutationFn: (password: string) => unwrap(api.DELETE('/api/me', { body: { password } })),
  });
}

export async function checkUsername(username: string, signal: AbortSignal): Promise<boolean> {
  const r = await unwrap(
    api.GET('/api/auth/username-available', { params: { query: { username } }, signal }),
  );
  return r.available;
}

/** Cancels one of the shopper's unfulfilled orders; stock and the order list refresh after. */
export function useCancelOrder() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (orderId: number) =>
      unwrap(api.POST('/api/orders/{id}/cancel', { params: { path: { id: orderId } } })),
    onSettled: () => {
      client.invalidateQueries({ queryKey: keys.orders });
      client.invalidateQueries({ queryKey: keys.products });
    },
  });
}
