import { readFileSync } from 'node:fs';
import { passwordContextProblem } from '../../../contract/accounts.ts';
import { AppError } from '../../app-error.ts';

/**
 * NIST SP 800-63B §5.1.1.2: besides the 8–128 length the contract checks, a new password must not
 * be a commonly used one or contain the account's own names (decision 170). The list is the
 * 10,000 most frequent passwords of zxcvbn's ranked list (MIT, Dropbox), taken from Debian's
 * python3-zxcvbn 4.4.28; its entries are lower case, so the comparison is case-insensitive.
 */
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter(Boolean),
  );
  return common;
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase());
}

/** Why this password is refused for this account, or null when it is acceptable. */
export function weakPasswordReason(
  password: string,
  account: { username?: string; email?: string },
): string | null {
  if (isCommonPassword(password)) return 'Password is too common; choose a less guessable one';
  return passwordContextProblem(password, account);
}

/** 422 `weak_password` on the `password` field (API.md, "Accounts"). */
export function assertStrongPassword(
  password: string,
  account: { username?: string; email?: string },
  field = 'password',
): void {
  const reason = weakPasswordReason(password, account);
  if (!reason) return;
  throw new AppError(422, 'weak_password', reason, {
    errors: [{ field, in: 'body', message: reason }],
  });
}
