import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError, queryString } from './client.ts';
import type { Category, Order, Page, Product, ProfileInput, RegisterInput, User } from './types.ts';

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
      try {
        return await api<User>('/api/me');
      } catch (error) {
        if (isApiError(error) && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

export function useCart(enabled: boolean) {
  return useQuery({
    queryKey: keys.cart,
    queryFn: () => api<{ order: Order | null }>('/api/cart').then((r) => r.order),
    enabled,
  });
}

export function useOrders() {
  return useQuery({ queryKey: keys.orders, queryFn: () => api<Order[]>('/api/orders') });
}

export function useFavorites(enabled = true) {
  return useQuery({ queryKey: keys.favorites, queryFn: () => api<Product[]>('/api/favorites'), enabled });
}

export function useCategories() {
  return useQuery({
    queryKey: keys.categories,
    queryFn: () => api<Category[]>('/api/categories'),
    staleTime: 5 * 60_000,
  });
}

export type ProductQuery = Record<string, string | number | undefined>;

export function useProducts(query: ProductQuery) {
  return useQuery({
    queryKey: [...keys.products, 'list', query],
    queryFn: ({ signal }) => api<Page<Product>>(`/api/products${queryString(query)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useProduct(id: number) {
  return useQuery({
    queryKey: keys.product(id),
    queryFn: () => api<Product>(`/api/products/${id}`),
    enabled: Number.isInteger(id) && id > 0,
  });
}

/** Cart writes answer with the new TEMP order; orders and product stock views refresh after. */
function useCartMutation<V>(request: (vars: V) => Promise<{ order: Order | null } | undefined>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: (result) => {
      client.setQueryData(keys.cart, result?.order ?? null);
    },
    onSettled: () => {
      client.invalidateQueries({ queryKey: keys.cart });
      client.invalidateQueries({ queryKey: keys.orders });
    },
  });
}

export const useAddToCart = () =>
  useCartMutation((v: { productId: number; quantity: number }) =>
    api<{ order: Order }>('/api/cart/items', { method: 'POST', body: v }),
  );

export const useSetQuantity = () =>
  useCartMutation((v: { productId: number; quantity: number }) =>
    api<{ order: Order | null }>(`/api/cart/items/${v.productId}`, {
      method: 'PUT',
      body: { quantity: v.quantity },
    }),
  );

export const useRemoveLine = () =>
  useCartMutation((productId: number) =>
    api<{ order: Order | null }>(`/api/cart/items/${productId}`, { method: 'DELETE' }),
  );

export const useDeleteCart = () => useCartMutation(() => api<undefined>('/api/cart', { method: 'DELETE' }));

export function useCheckout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (shippingAddress: string) =>
      api<Order>('/api/cart/checkout', { method: 'POST', body: { shippingAddress } }),
    onSuccess: () => client.setQueryData(keys.cart, null),
    onSettled: () => {
      client.invalidateQueries({ queryKey: keys.cart });
      client.invalidateQueries({ queryKey: keys.orders });
      client.invalidateQueries({ queryKey: keys.products });
    },
  });
}

export function useToggleFavorite() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ productId, favorite }: { productId: number; favorite: boolean }) =>
      api<undefined>(`/api/favorites/${productId}`, { method: favorite ? 'PUT' : 'DELETE' }),
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
      api<{ user: User }>('/api/auth/login', { method: 'POST', body: v }),
    onSuccess: (r) => changed(r.user),
  });
}

export function useRegister() {
  const changed = useSessionChange();
  return useMutation({
    mutationFn: (v: RegisterInput) => api<{ user: User }>('/api/auth/register', { method: 'POST', body: v }),
    onSuccess: (r) => changed(r.user),
  });
}

// Logout and deletion leave the session change to the caller, which first navigates away from
// pages that would otherwise bounce a guest to the login form.
export function useLogout() {
  return useMutation({ mutationFn: () => api<undefined>('/api/auth/logout', { method: 'POST' }) });
}

export function useUpdateProfile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: ProfileInput) => api<User>('/api/me', { method: 'PATCH', body: v }),
    onSuccess: (user) => client.setQueryData(keys.me, user),
  });
}

export function useDeleteAccount() {
  return useMutation({ mutationFn: () => api<undefined>('/api/me', { method: 'DELETE' }) });
}

export async function checkUsername(username: string, signal: AbortSignal): Promise<boolean> {
  const r = await api<{ available: boolean }>(`/api/auth/username-available${queryString({ username })}`, {
    signal,
  });
  return r.available;
}
