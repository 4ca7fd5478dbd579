import type { z } from 'zod';
import {
  emailSchema,
  nameFieldSchema,
  passwordContextProblem,
  passwordSchema,
  phoneSchema,
  usernameSchema,
} from '../../contract/accounts.ts';

// The API's own account rules (src/contract/accounts.ts), run as the user types so most mistakes
// never reach the server. Only the "enter something" prompts are the form's; every rule is the
// contract's. The common-password check stays on the server (its list would weigh on the bundle).

export type Errors = Record<string, string>;

const sentence = (message: string) => (/[.!?]$/.test(message) ? message : `${message}.`);

/** The first problem the contract's schema finds, as a sentence; '' when the value passes. */
function ruleError(schema: z.ZodType, value: string): string {
  const result = schema.safeParse(value);
  return result.success ? '' : sentence(result.error.issues[0]?.message ?? 'Invalid value');
}

export const usernameError = (v: string) => (!v ? 'Choose a username.' : ruleError(usernameSchema, v));

/** Length from the contract, plus its rules about the account's own names and repetition. */
export function passwordError(
  v: string,
  account: { username?: string; email?: string },
  required = true,
): string {
  if (!v) return required ? 'Enter a password.' : '';
  const problem = ruleError(passwordSchema, v) || passwordContextProblem(v, account);
  return problem ? sentence(problem) : '';
}

export const emailError = (v: string) => (!v.trim() ? 'Enter your email.' : ruleError(emailSchema, v));

export const phoneError = (v: string) => (!v.trim() ? 'Enter your phone number.' : ruleError(phoneSchema, v));

export const textError = (label: string) => (v: string) =>
  !v.trim() ? `Enter your ${label}.` : ruleError(nameFieldSchema, v);

export const PROFILE_FIELDS = [
  { name: 'firstName', label: 'First name', autoComplete: 'given-name', check: textError('first name') },
  { name: 'lastName', label: 'Last name', autoComplete: 'family-name', check: textError('last name') },
  { name: 'email', label: 'Email', autoComplete: 'email', type: 'email', check: emailError },
  { name: 'phone', label: 'Phone', autoComplete: 'tel', type: 'tel', check: phoneError },
  { name: 'country', label: 'Country', autoComplete: 'country-name', check: textError('country') },
  { name: 'city', label: 'City', autoComplete: 'address-level2', check: textError('city') },
] as const;

export type ProfileFieldName = (typeof PROFILE_FIELDS)[number]['name'];

/** Non-empty messages only. */
export function collect(entries: [string, string][]): Errors {
  return Object.fromEntries(entries.filter(([, message]) => message));
}
