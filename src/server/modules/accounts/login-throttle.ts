import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/database.ts';
import { countHit } from '../../http/rate-limit.ts';

/**
 * Failed password checks counted per account, on top of the per-address limit (decision 171):
 * after 10 failures within a 15-minute window every login of that account answers 429 until the
 * window ends, from any address and with the right password too. Counters live in `rate_limits`
 * beside the per-address ones, so every app process sees the same count.
 */
export const ACCOUNT_FAILURE_LIMIT = 10;
export const ACCOUNT_WINDOW_MS = 15 * 60_000;

/** Unknown usernames are counted too, so the answers do not tell which accounts exist. */
const bucketOf = (username: string) => `login-account:${username.trim().toLowerCase()}`;

export interface PasswordAttempt {
  /** The password was right: this attempt is not a failure. */
  succeeded(): Promise<void>;
}

/**
 * Counts the attempt as a failure before the password is checked, so concurrent guesses cannot
 * slip past the limit together; `succeeded` takes it back. Throws 429 once the account is locked.
 */
export async function beginPasswordAttempt(db: Db, username: string): Promise<PasswordAttempt> {
  const key = bucketOf(username);
  const { current, ttl } = await countHit(db, key, ACCOUNT_WINDOW_MS);
  if (current > ACCOUNT_FAILURE_LIMIT) {
    const minutes = Math.max(1, Math.ceil(ttl / 60_000));
    throw new AppError(
      429,
      'rate_limited',
      `Too many failed sign-ins for this account; try again in ${minutes} min`,
      { retryAfterSeconds: Math.ceil(ttl / 1000) },
    );
  }
  return {
    succeeded: async () => {
      await db
        .updateTable('rate_limits')
        .set((eb) => ({ hits: eb('hits', '-', 1) }))
        .where('bucket_key', '=', key)
        .where('hits', '>', 0)
        .where('window_ends_at', '>', Date.now())
        .execute();
    },
  };
}
