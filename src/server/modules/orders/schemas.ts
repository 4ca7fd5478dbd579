import { z } from 'zod';
import { idSegment } from '../../http/params.ts';

export const productIdParams = z.object({ productId: idSegment });
export const orderIdParams = z.object({ id: idSegment });

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
