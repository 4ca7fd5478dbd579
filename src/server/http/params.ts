import { z } from 'zod';

/**
 * A positive integer id in a path segment ("1".."2147483647", no sign, leading zero or exponent);
 * anything else is 422 before a query runs.
 */
export const idSegment = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'Must be a positive integer id')
  .transform(Number)
  .pipe(z.number().int().max(2_147_483_647, 'Must be a positive integer id'));
