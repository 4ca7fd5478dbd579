import { z } from 'zod';

/** A positive integer id in a path segment; anything else is 422. */
export const pathId = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'Expected a positive integer id')
  .transform(Number)
  .pipe(z.number().int().max(2_147_483_647));

export const productIdParams = z.object({ productId: pathId });
export const orderIdParams = z.object({ id: pathId });

/** Other headers pass through untouched. */
export const checkoutHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[\x21-\x7e]+$/, 'Printable ASCII without spaces')
    .optional(),
});
