import type { paths } from './schema.gen.ts';

// Shapes the web app names. Type-only imports: none of the zod schemas reach the browser bundle.
// Answers of API calls are typed by the generated OpenAPI paths (client.ts); these contract types
// name the same shapes for component props.

export type { RegisterInput, Role, UpdateMeInput as ProfileInput, User } from '../../contract/accounts.ts';
export type { Category, Product } from '../../contract/catalog.ts';
export type { Order, OrderLine, StockShortage } from '../../contract/orders.ts';

/** The query parameters a GET path takes, as the OpenAPI document states them. */
export type QueryOf<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } }
  ? NonNullable<Q>
  : never;

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}
