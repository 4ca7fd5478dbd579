import { z } from 'zod';
import { singleLine } from './text.ts';

/** Account shapes shared by the server and the web app (API.md, "Accounts"). */

export const usernameSchema = z
  .string()
  .min(3, 'Username must be at least 3 characters')
  .max(32, 'Username must be at most 32 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, 'Username may only contain letters, digits, "_", "." and "-"');

/** NIST SP 800-63B: length only, no composition rules (the server also refuses common ones). */
export const passwordSchema = z
  .string()
  .min(8, 'Password must be at least 8 characters')
  .max(128, 'Password must be at most 128 characters');

/**
 * The password rules that need the account's other fields: not one character repeated, not
 * containing the username or the e-mail's local part (case-insensitive). Shared with the web
 * forms; the common-password list is checked on the server only (it would weigh on the bundle).
 */
export function passwordContextProblem(
  password: string,
  account: { username?: string; email?: string },
): string | null {
  const lower = password.toLowerCase();
  if (lower.length > 0 && [...lower].every((c) => c === lower[0]))
    return 'Password must not be one character repeated';
  const username = account.username?.trim().toLowerCase();
  if (username && username.length >= 3 && lower.includes(username))
    return 'Password must not contain your username';
  const local = account.email?.trim().toLowerCase().split('@')[0];
  if (local && local.length >= 3 && lower.includes(local))
    return 'Password must not contain the first part of your e-mail address';
  return null;
}

/** Re-authentication: what the API wants before a password or e-mail change or a deletion. */
/** Empty counts as missing: 403 `current_password_required`, not a validation error. */
export const currentPasswordSchema = z.string().max(1024);

export const emailSchema = z
  .string()
  .trim()
  .max(254, 'Email must be at most 254 characters')
  .pipe(z.email('Enter a valid email address'));

/** Names and places: trimmed, 1–100 characters, not blank. */
export const nameFieldSchema = singleLine(
  z.string().trim().min(1, 'Must not be blank').max(100, 'Must be at most 100 characters'),
);

/** Digits with the usual separators, e.g. "+1 (555) 010-0100"; see decision 010. */
export const phoneSchema = z
  .string()
  .trim()
  .min(3, 'Phone must be at least 3 characters')
  .max(32, 'Phone must be at most 32 characters')
  .regex(/^\+?[0-9][0-9 ().-]*$/, 'Phone may only contain digits, spaces and + ( ) . -');

export const registerSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  email: emailSchema,
  firstName: nameFieldSchema,
  lastName: nameFieldSchema,
  phone: phoneSchema,
  country: nameFieldSchema,
  city: nameFieldSchema,
});
export type RegisterInput = z.input<typeof registerSchema>;

/** Login checks credentials only; format rules would leak which usernames can exist. */
export const loginSchema = z.object({
  username: z.string().min(1, 'Username is required').max(254),
  password: z.string().min(1, 'Password is required').max(1024),
});
export type LoginInput = z.input<typeof loginSchema>;

export const updateMeSchema = z
  .object({
    email: emailSchema,
    firstName: nameFieldSchema,
    lastName: nameFieldSchema,
    phone: phoneSchema,
    country: nameFieldSchema,
    city: nameFieldSchema,
    password: passwordSchema,
    /** Required when `password` or `email` changes (403 `current_password_required` otherwise). */
    currentPassword: currentPasswordSchema,
  })
  .partial()
  .strict();
export type UpdateMeInput = z.input<typeof updateMeSchema>;

export const deleteMeSchema = z.object({ password: currentPasswordSchema }).partial().strict();
export type DeleteMeInput = z.input<typeof deleteMeSchema>;

export const roleSchema = z.enum(['customer', 'admin']);
export type Role = z.infer<typeof roleSchema>;

export const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  phone: z.string(),
  country: z.string(),
  city: z.string(),
  role: roleSchema,
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const registerResponseSchema = z.object({ user: userSchema, token: z.string() });

export const loginResponseSchema = z.object({
  user: userSchema,
  token: z.string(),
  expiresAt: z.string(),
  /** The same token under OAuth2 password-flow names, for clients such as Swagger UI. */
  access_token: z.string(),
  token_type: z.literal('bearer'),
});

export const usernameAvailableSchema = z.object({ available: z.boolean() });
