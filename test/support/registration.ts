/** A valid, unique body for `POST /api/auth/register`, overridable field by field. */

let seq = 0;

export function registration(
  prefix: string,
  overrides: Record<string, unknown> = {},
  /** What precedes the username in the e-mail's local part (the password rules compare both). */
  emailPrefix = '',
) {
  seq += 1;
  const username = `${prefix}_${seq}_${Math.random().toString(36).slice(2, 7)}`;
  return {
    username,
    password: 'a-long-password',
    email: `${emailPrefix}${username}@example.com`,
    firstName: 'Ada',
    lastName: 'Lovelace',
    phone: '+44 20 7946 0000',
    country: 'United Kingdom',
    city: 'London',
    ...overrides,
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
