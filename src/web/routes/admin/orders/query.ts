import { oneOf } from '../../../api/params.ts';
import type { OrderQuery } from '../../../components/admin/api.ts';
import { FULFILLMENT_LABELS, PAYMENT_LABELS } from '../../../components/OrderStatus.tsx';

// The console's order list lives in the URL
// (`?status=&paymentStatus=&fulfillmentStatus=&from=&to=&q=&page=`); this turns it into the admin
// API's query. The status words are the ones the shop labels, so the selects and the API agree.

export const PAGE_SIZE = 25;
export const PAYMENT_STATUSES = Object.keys(PAYMENT_LABELS) as (keyof typeof PAYMENT_LABELS)[];
export const FULFILLMENT_STATUSES = Object.keys(FULFILLMENT_LABELS) as (keyof typeof FULFILLMENT_LABELS)[];

export function orderQueryFrom(params: URLSearchParams): OrderQuery {
  return {
    status: oneOf(params.get('status'), ['TEMP', 'CLOSED'] as const, undefined),
    paymentStatus: oneOf(params.get('paymentStatus'), PAYMENT_STATUSES, undefined),
    fulfillmentStatus: oneOf(params.get('fulfillmentStatus'), FULFILLMENT_STATUSES, undefined),
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    q: params.get('q') ?? undefined,
    page: Number(params.get('page') ?? 1) || 1,
    pageSize: PAGE_SIZE,
  };
}
