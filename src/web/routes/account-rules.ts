// The API's account rules, checked as the user types so most mistakes never reach the server.

export type Errors = Record<string, string>;

const USERNAME = /^[A-Za-z0-9_.-]{3,32}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function usernameError(v: string): string {
  if (!v) return 'Choose a username.';
  if (!USERNAME.test(v)) return '3–32 characters: letters, digits, _ . or -';
  return '';
}

export function passwordError(v: string, required = true): string {
  if (!v) return required ? 'Enter a password.' : '';
  if (v.length < 8) return 'At least 8 characters.';
  if (v.length > 128) return 'At most 128 characters.';
  return '';
}

export const emailError = (v: string) =>
  !v.trim() ? 'Enter your email.' : EMAIL.test(v.trim()) ? '' : 'Enter a valid email address.';

const PHONE = /^\+?[0-9][0-9 ().-]*$/;

export const phoneError = (v: string) =>
  !v.trim()
    ? 'Enter your phone number.'
    : v.trim().length < 3 || v.trim().length > 32 || !PHONE.test(v.trim())
      ? 'Use 3–32 digits, spaces and + ( ) . -'
      : '';

export const textError = (label: string) => (v: string) =>
  !v.trim() ? `Enter your ${label}.` : v.trim().length > 100 ? 'At most 100 characters.' : '';

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
