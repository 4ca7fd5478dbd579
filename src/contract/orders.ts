import { z } from 'zod';
import { multiLine, singleLine } from './text.ts';

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

export const paymentStatusSchema = z.enum(['awaiting', 'paid', 'refunded', 'failed']);
export type PaymentStatus = z.infer<typeof paymentStatusSchema>;
export const fulfillmentStatusSchema = z.enum(['unfulfilled', 'shipped', 'delivered', 'cancelled']);
export type FulfillmentStatus = z.infer<typeof fulfillmentStatusSchema>;
export const paymentProviderSchema = z.enum(['manual', 'stripe']);
export type PaymentProvider = z.infer<typeof paymentProviderSchema>;

export const timelineEntrySchema = z.object({
  at: z.string(),
  /** placed, paid, payment_failed, shipped, delivered, cancelled, refunded */
  type: z.string(),
  /** "customer", "shop", the provider ("stripe"), or the admin's username ("deleted admin" once gone). */
  by: z.string(),
  note: z.string().nullable(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const orderSchema = z.object({
  id: z.number().int(),
  /** The public order number shown to people; it says nothing about how many orders the shop has. */
  number: z.string().nullable().describe('Null on a TEMP order'),
  status: orderStatusSchema,
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  shippingAddress: z.string().nullable(),
  lines: z.array(orderLineSchema),
  totalCents: z.number().int(),
  paymentStatus: paymentStatusSchema.nullable(),
  fulfillmentStatus: fulfillmentStatusSchema.nullable(),
  payment: z
    .object({ provider: paymentProviderSchema, checkoutUrl: z.string().optional() })
    .nullable()
    .describe('Null on a TEMP order; checkoutUrl while a provider payment is awaited'),
  shipment: z.object({ carrier: z.string(), trackingNumber: z.string(), shippedAt: z.string() }).nullable(),
  /** Whether the signed-in customer may still cancel it (unfulfilled). */
  cancellable: z.boolean(),
  cancelReason: z.string().nullable(),
  timeline: z.array(timelineEntrySchema),
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

/** `POST /api/admin/orders/:id/ship`. */
export const shipOrderSchema = z.object({
  carrier: singleLine(z.string().trim().min(1, 'Carrier must not be blank').max(100)),
  trackingNumber: singleLine(z.string().trim().min(1, 'Tracking number must not be blank').max(100)),
});
export type ShipOrder = z.input<typeof shipOrderSchema>;

/** `POST /api/admin/orders/:id/cancel`. */
export const cancelOrderSchema = z.object({
  reason: multiLine(z.string().trim().min(1, 'Give a reason').max(300)),
});
export type CancelOrder = z.input<typeof cancelOrderSchema>;
