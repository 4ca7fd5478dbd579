import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdminCustomer, AdminOrder, AdminOrderSummary, AdminOverview } from '../../../contract/admin.ts';
import type {
  AdminProduct,
  CreateProductInput,
  StockAdjustmentEntry,
  UpdateProductInput,
} from '../../../contract/catalog.ts';
import type { CustomerPrediction, MlJob, MlModel, MlMonitoring, MlStatus } from '../../../contract/ml.ts';
import { ApiError, api, queryString } from '../../api/client.ts';
import { keys as shopKeys } from '../../api/hooks.ts';
import type { Page } from '../../api/types.ts';

// Type-only contract imports: no zod reaches the bundle.

export type Query = Record<string, string | number | undefined>;

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
  return useQuery({ queryKey: adminKeys.overview, queryFn: () => api<AdminOverview>('/api/admin/overview') });
}

export function useAdminProducts(query: Query) {
  return useQuery({
    queryKey: [...adminKeys.products, query],
    queryFn: ({ signal }) => api<Page<AdminProduct>>(`/api/admin/products${queryString(query)}`, { signal }),
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
      api<StockAdjustmentEntry[]>(`/api/admin/products/${productId}/stock-adjustments`, { signal }),
  });
}

/** Product writes change the admin lists, the overview and what the shop shows. */
function useProductMutation<V>(request: (vars: V) => Promise<AdminProduct | undefined>) {
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
  useProductMutation((body: CreateProductInput) =>
    api<AdminProduct>('/api/admin/products', { method: 'POST', body }),
  );

export const useUpdateProduct = () =>
  useProductMutation(({ id, body }: { id: number; body: UpdateProductInput }) =>
    api<AdminProduct>(`/api/admin/products/${id}`, { method: 'PATCH', body }),
  );

export const useArchiveProduct = () =>
  useProductMutation((id: number) => api<undefined>(`/api/admin/products/${id}`, { method: 'DELETE' }));

export const useAdjustStock = () =>
  useProductMutation(({ id, delta, reason }: { id: number; delta: number; reason: string }) =>
    api<AdminProduct>(`/api/admin/products/${id}/stock`, { method: 'POST', body: { delta, reason } }),
  );

export const useUploadImage = () =>
  useProductMutation(async ({ id, file }: { id: number; file: File }) => {
    const form = new FormData();
    form.append('file', file);
    const response = await fetch(`/api/admin/products/${id}/image`, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const detail = typeof data.detail === 'string' ? data.detail : 'The image could not be uploaded.';
      throw new ApiError(response.status, String(data.code ?? `http_${response.status}`), detail, data);
    }
    return data as AdminProduct;
  });

export function useAdminOrders(query: Query) {
  return useQuery({
    queryKey: [...adminKeys.orders, 'list', query],
    queryFn: ({ signal }) =>
      api<Page<AdminOrderSummary>>(`/api/admin/orders${queryString(query)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useAdminOrder(id: number) {
  return useQuery({
    queryKey: [...adminKeys.orders, 'one', id],
    queryFn: () => api<AdminOrder>(`/api/admin/orders/${id}`),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export function useCustomerPredictions(query: Query) {
  return useQuery({
    queryKey: [...adminKeys.customers, 'list', query],
    queryFn: ({ signal }) =>
      api<Page<CustomerPrediction>>(`/api/ml/customers${queryString(query)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useAdminCustomer(userId: number) {
  return useQuery({
    queryKey: [...adminKeys.customers, 'one', userId],
    queryFn: () => api<AdminCustomer>(`/api/admin/customers/${userId}`),
    enabled: Number.isInteger(userId) && userId > 0,
  });
}

export function useMlStatus() {
  return useQuery({ queryKey: [...adminKeys.ml, 'status'], queryFn: () => api<MlStatus>('/api/ml/status') });
}

export function useMlModels() {
  return useQuery({ queryKey: [...adminKeys.ml, 'models'], queryFn: () => api<MlModel[]>('/api/ml/models') });
}

export function useMlMonitoring() {
  return useQuery({
    queryKey: [...adminKeys.ml, 'monitoring'],
    queryFn: () => api<MlMonitoring>('/api/ml/monitoring'),
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
    queryFn: ({ signal }) => api<MlJob[]>(`/api/ml/jobs${queryString({ limit })}`, { signal }),
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

export const useRetrain = () =>
  useMlMutation(() => api<{ jobId: number }>('/api/ml/retrain', { method: 'POST' }));

export const useActivateModel = () =>
  useMlMutation((id: number) => api<MlModel>(`/api/ml/models/${id}/activate`, { method: 'POST' }));
