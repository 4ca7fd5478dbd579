import { z } from 'zod';

/** `:productId` must be a positive integer; anything else is 422. */
export const productIdParams = z.object({
  productId: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, 'Expected a positive integer id')
    .transform(Number)
    .pipe(z.number().int().max(2_147_483_647)),
});
