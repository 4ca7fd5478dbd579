import { z } from 'zod';

/** Route-level schemas of the catalog module; the shared shapes live in src/contract/catalog.ts. */

export const productIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,9}$/, 'Must be a positive integer id')
    .transform(Number)
    .pipe(z.number().max(2_147_483_647, 'Must be a positive integer id')),
});
