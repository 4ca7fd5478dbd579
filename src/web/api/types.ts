// The web app reads the API through the server's own contract types. Type-only imports: none of
// the zod schemas reach the browser bundle.

export type { RegisterInput, Role, UpdateMeInput as ProfileInput, User } from '../../contract/accounts.ts';
export type { Category, Product } from '../../contract/catalog.ts';
export type { Order, OrderLine, StockShortage } from '../../contract/orders.ts';

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}
