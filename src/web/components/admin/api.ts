import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateProductInput, UpdateProductInput } from '../../../contract/catalog.ts';
import type { MlJob } from '../../../contract/ml.ts';
import { api, unwrap, unwrapResponse } from '../../api/client.ts';
import { keys as shopKeys } from '../../api/hooks.ts';
import type { QueryOf } from '../../api/types.ts';

// Type-only contract imports: no zod reaches the bundle. Answers are typed by the OpenAPI paths.

export type Query = QueryOf<'/api/admin/products'>;
export type OrderQuery = QueryOf<'/api/admin/orders'>;
export type CustomerQuery = QueryOf<'/api/ml/customers'>;

const admin = ['admin'] as const;
export const adminKeys = {
  all: admin,
  overview: [...admin, 'overview'] as const,
  products: [...admin, 'products'] as const,
  orders: [...admin, 'orders'] as const,
  customers: [...admin, 'customers'] as const,
  ml: [...admin, 'ml'] as const,
};

export function useOverview() {
  return useQuery({ queryKey: adminKeys.overview, queryFn: () => unwrap(api.GET('/api/admin/overview')) });
}

export function useAdminProducts(query: Query) {
  return useQuery({
    queryKey: [...adminKeys.products, query],
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/products', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

/**
 * The 50 newest manual stock changes of a product. Under `adminKeys.products`, so every product
 * write (a stock adjustment above all) refreshes it.
 */
export function useStockAdjustments(productId: number) {
  return useQuery({
    queryKey: [...adminKeys.products, 'stock-adjustments', productId],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/admin/products/{id}/stock-adjustments', {
          params: { path: { id: productId } },
          signal,
        }),
      ),
  });
}

/** Product writes change the admin lists, the overview and what the shop shows. */
function useProductMutation<V, R>(request: (vars: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSettled: () => {
      client.invalidateQueries({ queryKey: adminKeys.products });
      client.invalidateQueries({ queryKey: adminKeys.overview });
      client.invalidateQueries({ queryKey: shopKeys.products });
      client.invalidateQueries({ queryKey: shopKeys.categories });
    },
  });
}

export const useCreateProduct = () =>
  useProductMutation((body: CreateProductInput) => unwrap(api.POST('/api/admin/products', { body })));

export const useUpdateProduct = () =>
  useProductMutation(({ id, body }: { id: number; body: UpdateProductInput }) =>
    unwrap(api.PATCH('/api/admin/products/{id}', { params: { path: { id } }, body })),
  );

/** What DELETE did: `deleted` (never ordered: the row is gone) or `archived` (kept for order history). */
export type Removal = 'deleted' | 'archived';

export const useDeleteProduct = () =>
  useProductMutation(async (id: number): Promise<Removal> => {
    const { response } = await unwrapResponse(
      api.DELETE('/api/admin/products/{id}', { params: { path: { id } } }),
    );
    return response.headers.get('Product-Removal') === 'deleted' ? 'deleted' : 'archived';
  });

export const useAdjustStock = () =>
  useProductMutation(({ id, delta, reason }: { id: number; delta: number; reason: string }) =>
    unwrap(api.POST('/api/admin/products/{id}/stock', { params: { path: { id } }, body: { delta, reason } })),
  );

/** The picture is multipart, which the OpenAPI document does not describe: the form is the body. */
export const useUploadImage = () =>
  useProductMutation(({ id, file }: { id: number; file: File }) => {
    const form = new FormData();
    form.append('file', file);
    return unwrap(
      api.POST('/api/admin/products/{id}/image', {
        params: { path: { id } },
        body: form as never,
        bodySerializer: (body) => body,
      }),
    );
  });

export function useAdminOrders(query: OrderQuery) {
  return useQuery({
    queryKey: [...adminKeys.orders, 'list', query],
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/orders', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useAdminOrder(id: number) {
  return useQuery({
    queryKey: [...adminKeys.orders, 'one', id],
    queryFn: () => unwrap(api.GET('/api/admin/orders/{id}', { params: { path: { id } } })),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export function useCustomerPredictions(query: CustomerQuery) {
  return useQuery({
    queryKey: [...adminKeys.customers, 'list', query],
    queryFn: ({ signal }) => unwrap(api.GET('/api/ml/customers', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useAdminCustomer(userId: number) {
  return useQuery({
    queryKey: [...adminKeys.customers, 'one', userId],
    queryFn: () => unwrap(api.GET('/api/admin/customers/{userId}', { params: { path: { userId } } })),
    enabled: Number.isInteger(userId) && userId > 0,
  });
}

export function useMlStatus() {
  return useQuery({
    queryKey: [...adminKeys.ml, 'status'],
    queryFn: () => unwrap(api.GET('/api/ml/status')),
  });
}

export function useMlModels() {
  return useQuery({
    queryKey: [...adminKeys.ml, 'models'],
    queryFn: () => unwrap(api.GET('/api/ml/models')),
  });
}

export function useMlMonitoring() {
  return useQuery({
    queryKey: [...adminKeys.ml, 'monitoring'],
    queryFn: () => unwrap(api.GET('/api/ml/monitoring')),
  });
}

/** Whether a training job has yet to end. */
export const isJobActive = (job: MlJob) => job.status === 'queued' || job.status === 'running';

/**
 * The `limit` newest training jobs, whatever started them (manual, schedule, new orders). Polls
 * every second while one of them is queued or running, and not otherwise.
 */
export function useMlJobs(limit: number) {
  return useQuery({
    queryKey: [...adminKeys.ml, 'jobs', limit],
    queryFn: ({ signal }) => unwrap(api.GET('/api/ml/jobs', { params: { query: { limit } }, signal })),
    refetchInterval: (query) => (query.state.data?.some(isJobActive) ? 1000 : false),
  });
}

function useMlMutation<V, R>(request: (vars: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSettled: () => {
      client.invalidateQueries({ queryKey: adminKeys.ml });
      client.invalidateQueries({ queryKey: adminKeys.customers });
      client.invalidateQueries({ queryKey: adminKeys.overview });
    },
  });
}

export const useRetrain = () => useMlMutation(() => unwrap(api.POST('/api/ml/retrain')));

export const useActivateModel = () =>
  useMlMutation((id: number) =>
    unwrap(api.POST('/api/ml/models/{id}/activate', { params: { path: { id } } })),
  );

export type OrderAction =
  | { action: 'mark-paid' }
  | { action: 'deliver' }
  | { action: 'ship'; carrier: string; trackingNumber: string }
  | { action: 'cancel'; reason: string };

/** Mark paid, ship, deliver or cancel; the order, the lists, the overview and the outbox refresh. */
export function useOrderAction(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: OrderAction) => {
      const path = { params: { path: { id } } };
      switch (v.action) {
        case 'mark-paid':
          return unwrap(api.POST('/api/admin/orders/{id}/mark-paid', path));
        case 'deliver':
          return unwrap(api.POST('/api/admin/orders/{id}/deliver', path));
        case 'ship':
          return unwrap(
            api.POST('/api/admin/orders/{id}/ship', {
              ...path,
              body: { carrier: v.carrier, trackingNumber: v.trackingNumber },
            }),
          );
        case 'cancel':
          return unwrap(api.POST('/api/admin/orders/{id}/cancel', { ...path, body: { reason: v.reason } }));
      }
    },
    onSettled: () => {
      client.invalidateQueries({ queryKey: adminKeys.orders });
      client.invalidateQueries({ queryKey: adminKeys.overview });
      client.invalidateQueries({ queryKey: [...admin, 'outbox'] });
      client.invalidateQueries({ queryKey: shopKeys.products });
    },
  });
}

export type OutboxQuery = QueryOf<'/api/admin/outbox'>;

export function useOutbox(query: OutboxQuery) {
  return useQuery({
    queryKey: [...admin, 'outbox', query],
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/outbox', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}
