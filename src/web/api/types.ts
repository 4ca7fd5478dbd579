// Shapes of the HTTP contract (/work API.md) as the web app reads them. Type-only, so nothing here
// reaches the bundle; the server's zod schemas in src/contract are the source of truth.

export type Role = 'customer' | 'admin';

export interface User {
  id: number;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  country: string;
  city: string;
  role: Role;
  createdAt: string;
}

export interface Category {
  id: number;
  name: string;
  slug: string;
  productCount?: number;
}

export interface Product {
  id: number;
  name: string;
  description: string;
  category: Pick<Category, 'id' | 'name' | 'slug'>;
  priceCents: number;
  stock: number;
  imageUrl: string | null;
  isFavorite?: boolean;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface OrderLine {
  productId: number;
  name: string;
  imageUrl: string | null;
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
  stock: number;
}

export interface Order {
  id: number;
  status: 'TEMP' | 'CLOSED';
  createdAt: string;
  closedAt: string | null;
  shippingAddress: string | null;
  lines: OrderLine[];
  totalCents: number;
}

export interface RegisterInput {
  username: string;
  password: string;
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  country: string;
  city: string;
}

export type ProfileInput = Partial<Omit<RegisterInput, 'username'>>;

export interface StockShortage {
  productId: number;
  requested: number;
  available: number;
}
