import { z } from 'zod';
import { multiLine } from './text.ts';

/** The largest quantity one cart line may hold, whatever the stock. */
export const MAX_LINE_QUANTITY = 1000;

export const productIdSchema = z.number().int().min(1).max(2_147_483_647);

export const orderLineSchema = z.object({
  productId: z.number().int(),
  name: z.string(),
  imageUrl: z.string().nullable(),
  /** TEMP: the current price; CLOSED: the price paid. */
  unitPriceCents: z.number().int(),
  quantity: z.number().int(),
  lineTotalCents: z.number().int(),
  /** Current stock of the product. */
  stock: z.number().int(),
});
export type OrderLine = z.infer<typeof orderLineSchema>;

export const orderStatusSchema = z.enum(['TEMP', 'CLOSED']);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

export const orderSchema = z.object({
  id: z.number().int(),
  status: orderStatusSchema,
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  shippingAddress: z.string().nullable(),
  lines: z.array(orderLineSchema),
  totalCents: z.number().int(),
});
export type Order = z.infer<typeof orderSchema>;

export const cartSchema = z.object({ order: orderSchema.nullable() });
export type Cart = z.infer<typeof cartSchema>;

export const addCartItemSchema = z.object({
  productId: productIdSchema,
  quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
});
export type AddCartItem = z.infer<typeof addCartItemSchema>;

export const setCartItemSchema = z.object({
  /** 0 removes the line. */
  quantity: z.number().int().min(0).max(MAX_LINE_QUANTITY),
});
export type SetCartItem = z.infer<typeof setCartItemSchema>;

export const checkoutSchema = z.object({
  shippingAddress: multiLine(z.string().trim().min(1, 'Shipping address must not be blank').max(300)),
});
export type Checkout = z.input<typeof checkoutSchema>;

/** The `items` of a 409 `insufficient_stock` answer to checkout. */
export const stockShortageSchema = z.object({
  productId: z.number().int(),
  requested: z.number().int(),
  available: z.number().int(),
});
export type StockShortage = z.infer<typeof stockShortageSchema>;
