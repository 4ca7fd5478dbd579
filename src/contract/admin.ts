import { z } from 'zod';
import { userSchema } from './accounts.ts';
import { adminProductSchema } from './catalog.ts';
import { customerPredictionDetailSchema, customerPredictionSchema } from './ml.ts';
import {
  fulfillmentStatusSchema,
  orderSchema,
  orderStatusSchema,
  paymentProviderSchema,
  paymentStatusSchema,
} from './orders.ts';

/** The admin console's own API (orders of every customer, customer pages, the overview). */

const count = (max: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/, 'Must be a whole number ≥ 0')
    .transform(Number)
    .pipe(z.number().min(1, 'Must be at least 1').max(max, `Must be at most ${max}`));

/** A UTC calendar day, "YYYY-MM-DD"; `from` and `to` are both inclusive. */
const daySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Must be a date, YYYY-MM-DD')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: 'Must be a real calendar date',
    },
  );

export const adminOrderListQuerySchema = z.object({
  status: orderStatusSchema.optional(),
  from: daySchema.optional().describe('First day (UTC) the order was placed, or opened for carts'),
  to: daySchema.optional().describe('Last day (UTC), inclusive'),
  q: z.string().trim().max(100).optional().describe('Part of the customer’s username, or an order number'),
  paymentStatus: paymentStatusSchema.optional(),
  fulfillmentStatus: fulfillmentStatusSchema.optional(),
  page: count(1_000_000).default(1),
  pageSize: count(100).default(24),
});
export type AdminOrderListQuery = z.input<typeof adminOrderListQuerySchema>;

export const adminOrderSummarySchema = z.object({
  id: z.number().int(),
  number: z.string().nullable(),
  /** Null for a deleted customer's order (kept for the books, nothing identifies the person). */
  userId: z.number().int().nullable(),
  username: z.string().nullable(),
  isSynthetic: z.boolean(),
  status: orderStatusSchema,
  paymentStatus: paymentStatusSchema.nullable(),
  fulfillmentStatus: fulfillmentStatusSchema.nullable(),
  paymentProvider: paymentProviderSchema.nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  /** Paid total for closed orders; today's prices for an open cart. */
  totalCents: z.number().int(),
  itemCount: z.number().int(),
});
export type AdminOrderSummary = z.infer<typeof adminOrderSummarySchema>;

export const adminOrderListSchema = z.object({
  items: z.array(adminOrderSummarySchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});

export const adminOrderSchema = orderSchema.extend({
  userId: z.number().int().nullable(),
  username: z.string().nullable(),
  isSynthetic: z.boolean(),
});
export type AdminOrder = z.infer<typeof adminOrderSchema>;

export const behaviourEventSchema = z.object({
  id: z.number().int(),
  type: z.string(),
  productId: z.number().int().nullable(),
  productName: z.string().nullable(),
  payload: z.unknown().nullable(),
  createdAt: z.string(),
});
export type BehaviourEvent = z.infer<typeof behaviourEventSchema>;

export const adminCustomerSchema = z.object({
  user: userSchema,
  isSynthetic: z.boolean(),
  orders: z.array(orderSchema),
  recentEvents: z.array(behaviourEventSchema).describe('The 50 most recent, newest first'),
  prediction: customerPredictionDetailSchema.nullable().describe('Null for accounts the models do not score'),
});
export type AdminCustomer = z.infer<typeof adminCustomerSchema>;

/** A churn probability at or above this marks a customer "at high risk" on the overview. */
export const HIGH_CHURN_RISK = 0.5;
/** Live products with this many units or fewer count as low stock. */
export const LOW_STOCK_THRESHOLD = 5;

export const adminOverviewSchema = z.object({
  days: z
    .array(z.object({ date: z.string(), orders: z.number().int(), revenueCents: z.number().int() }))
    .describe('The last 30 UTC days, oldest first, today included; days without orders are 0'),
  revenueCents: z.number().int(),
  orders: z.number().int(),
  averageOrderValueCents: z.number().int().nullable().describe('Over the 30 days; null without orders'),
  counts: z.object({
    customers: z.number().int(),
    syntheticCustomers: z.number().int(),
    liveProducts: z.number().int(),
    archivedProducts: z.number().int(),
    closedOrders: z.number().int(),
    openCarts: z.number().int(),
  }),
  lowStockThreshold: z.number().int(),
  lowStock: z.array(adminProductSchema),
  highChurnRiskThreshold: z.number(),
  atRisk: z.array(customerPredictionSchema).describe('Up to 10, highest churn probability first'),
});
export type AdminOverview = z.infer<typeof adminOverviewSchema>;

export const outboxMailSchema = z.object({
  id: z.number().int(),
  orderId: z.number().int().nullable(),
  kind: z.string(),
  to: z.string(),
  subject: z.string(),
  body: z.string(),
  status: z.enum(['pending', 'sent']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable().describe('Null once sent'),
  sentAt: z.string().nullable(),
});
export type OutboxMail = z.infer<typeof outboxMailSchema>;

export const outboxQuerySchema = z.object({
  status: z.enum(['pending', 'sent']).optional(),
  page: count(1_000_000).default(1),
  pageSize: count(100).default(24),
});

export const outboxListSchema = z.object({
  items: z.array(outboxMailSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  /** Whether SMTP_URL is set; without it mails wait here. */
  delivering: z.boolean(),
});
export type OutboxList = z.infer<typeof outboxListSchema>;
