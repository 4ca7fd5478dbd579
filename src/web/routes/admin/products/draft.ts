import type { AdminProduct } from '../../../../contract/catalog.ts';

// The product form's text fields and how they become the admin API's body.

export interface Draft {
  name: string;
  description: string;
  categoryId: string;
  price: string;
  stock: string;
}

export const emptyDraft: Draft = { name: '', description: '', categoryId: '', price: '', stock: '0' };

export const draftOf = (p: AdminProduct): Draft => ({
  name: p.name,
  description: p.description,
  categoryId: String(p.category.id),
  price: (p.priceCents / 100).toFixed(2),
  stock: String(p.stock),
});

/** Client-side checks mirror the server's; the server's 422 `errors` land on the same fields. */
export function checkDraft(d: Draft, creating: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!d.name.trim()) errors.name = 'Enter a name.';
  if (!d.description.trim()) errors.description = 'Enter a description.';
  if (!d.categoryId) errors.categoryId = 'Choose a category.';
  if (!/^\d+(\.\d{1,2})?$/.test(d.price.trim())) errors.priceCents = 'Enter a price in dollars, e.g. 19.99.';
  if (creating && !/^\d+$/.test(d.stock.trim())) errors.stock = 'Enter a whole number, 0 or more.';
  return errors;
}

/** The fields every save sends (a checked draft); creating adds the initial stock. */
export const bodyOf = (d: Draft) => ({
  name: d.name.trim(),
  description: d.description.trim(),
  categoryId: Number(d.categoryId),
  priceCents: Math.round(Number(d.price) * 100),
});

/** The picture types and size the server accepts, checked before anything is created. */
const PICTURE_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const MAX_PICTURE_BYTES = 5 * 1024 * 1024;

export function checkPicture(file: Pick<File, 'type' | 'size'> | null): Record<string, string> {
  if (!file) return {};
  if (!PICTURE_TYPES.includes(file.type)) return { file: 'Choose a PNG, JPEG or WebP picture.' };
  if (file.size > MAX_PICTURE_BYTES) return { file: 'Choose a picture of 5 MB or less.' };
  return {};
}

export const STOCK_REASONS = [
  'Received shipment',
  'Stock count correction',
  'Damaged or lost',
  'Customer return',
  'Other',
];

/** A stock change as the admin reads it: `+6`, `−2` (a true minus sign). */
export const signedDelta = (delta: number) => (delta > 0 ? `+${delta}` : `−${Math.abs(delta)}`);
