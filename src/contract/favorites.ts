import { z } from 'zod';
import { productSchema } from './catalog.ts';

/** `GET /api/favorites`: the signed-in user's favorite products, newest first, out of stock included. */
export const favoritesSchema = z.array(productSchema);
export type Favorites = z.infer<typeof favoritesSchema>;
