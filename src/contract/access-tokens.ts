import { z } from 'zod';
import { currentPasswordSchema } from './accounts.ts';
import { singleLine } from './text.ts';

/**
 * Personal access tokens (API.md, "Accounts"): what an outside agent holds instead of the
 * shopper's password. `read` may only read (GET, and the MCP endpoint's read tools); `shop` may
 * also change the cart, favorites and check out. Neither manages the account itself.
 */
export const tokenScopeSchema = z.enum(['read', 'shop']);
export type TokenScope = z.infer<typeof tokenScopeSchema>;

export const TOKEN_EXPIRY_DAYS = [7, 30, 90, 365] as const;

export const createTokenSchema = z
  .object({
    name: singleLine(z.string().trim().min(1, 'Name the token').max(100, 'At most 100 characters')),
    scope: tokenScopeSchema,
    expiresInDays: z.number().int().min(1, 'At least 1 day').max(365, 'At most 365 days'),
    /** Minting a token needs the password, so a stolen session cannot leave a key behind. */
    currentPassword: currentPasswordSchema.optional(),
  })
  .strict();
export type CreateTokenInput = z.input<typeof createTokenSchema>;

export const accessTokenSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  scope: tokenScopeSchema,
  /** The secret's first characters, to tell tokens apart; never enough to use one. */
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type AccessToken = z.infer<typeof accessTokenSchema>;

/** The one answer that carries the secret: it is shown once and stored only as a hash. */
export const createdTokenSchema = z.object({ token: accessTokenSchema, secret: z.string() });
export type CreatedToken = z.infer<typeof createdTokenSchema>;
