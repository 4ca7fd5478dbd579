import { oneOf } from '../../../api/params.ts';
import type { Query } from '../../../components/admin/api.ts';

// The console's product list lives in the URL (`?q=&category=&status=&stock=&sort=&page=`); this
// turns those words into the admin API's query.

export const PAGE_SIZE = 25;
/** At or below this many units a product counts as low on stock. */
export const LOW_STOCK = 5;
const SORTS = ['name', '-name', 'price', '-price', 'stock', '-stock', 'newest'] as const;

export function queryFrom(params: URLSearchParams): Query {
  const stock = params.get('stock');
  const status = params.get('status') ?? 'live';
  return {
    q: params.get('q') ?? undefined,
    category: params.get('category') ?? undefined,
    archived: status === 'all' ? undefined : status === 'archived' ? 'true' : 'false',
    stockLt: stock === 'low' ? LOW_STOCK + 1 : stock === 'out' ? 1 : undefined,
    sort: oneOf(params.get('sort'), SORTS, 'name'),
    page: Number(params.get('page') ?? 1) || 1,
    pageSize: PAGE_SIZE,
  };
}
