import type { RegisterInput, Role, UpdateMeInput, User } from '../../../contract/accounts.ts';
import { registerSchema, updateMeSchema } from '../../../contract/accounts.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/dialect.ts';
import { AppError, unauthorized } from '../../app-error.ts';
import { beginPasswordAttempt } from './login-throttle.ts';
import { assertStrongPassword } from './password-policy.ts';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';
import {
  deleteUser,
  findUserById,
  findUserByUsername,
  insertUser,
  revokeOtherSessions,
  type UserChanges,
  type UserRow,
  updateUser,
} from './queries.ts';
import { issueSession, revokeSession } from './sessions.ts';

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    phone: row.phone,
    country: row.country,
    city: row.city,
    role: row.role,
    createdAt: new Date(Number(row.created_at)).toISOString(),
  };
}

/** Maps a unique-index violation on users to the 409 the client can act on. */
function takenConflict(error: unknown): AppError | null {
  if (!isUniqueViolation(error)) return null;
  const message = String((error as Error).message ?? '');
  if (message.includes('email_key'))
    return new AppError(409, 'email_taken', 'That email is already registered');
  return new AppError(409, 'username_taken', 'That username is taken');
}

export interface SignedIn {
  user: User;
  token: string;
  expiresAt: Date;
}

/**
 * Creates a customer. Uniqueness (case-insensitive) is left to the database's unique indexes, so
 * concurrent registrations of one name produce exactly one account.
 */
export async function registerUser(db: Db, config: Config, input: RegisterInput): Promise<SignedIn> {
  const data = registerSchema.parse(input);
  assertStrongPassword(data.password, data);
  const createdAt = Date.now();
  const profile = { ...data, role: 'customer' as const };
  let id: number;
  try {
    id = await insertUser(db, { ...profile, passwordHash: await hashPassword(data.password) }, createdAt);
  } catch (error) {
    throw takenConflict(error) ?? error;
  }
  const session = await issueSession(db, config.JWT_SECRET, id, config.SESSION_TTL_DAYS);
  const { password: _, ...user } = profile;
  return { user: { id, ...user, createdAt: new Date(createdAt).toISOString() }, ...session };
}

/**
 * The same 401 whether the user is unknown or the password wrong, in about the same time; 429
 * while the account is locked by failed attempts (login-throttle.ts).
 */
export async function logIn(
  db: Db,
  config: Config,
  credentials: { username: string; password: string },
): Promise<SignedIn> {
  const attempt = await beginPasswordAttempt(db, credentials.username);
  const row = await findUserByUsername(db, credentials.username);
  const ok = row
    ? await verifyPassword(row.password_hash, credentials.password)
    : await verifyPassword(await decoyPasswordHash(), credentials.password).then(() => false);
  if (!row || !ok) throw new AppError(401, 'invalid_credentials', 'Wrong username or password');
  await attempt.succeeded();
  const session = await issueSession(db, config.JWT_SECRET, row.id, config.SESSION_TTL_DAYS);
  return { user: toUser(row), ...session };
}

export async function logOut(db: Db, sessionId: string): Promise<void> {
  await revokeSession(db, sessionId);
}

export async function isUsernameAvailable(db: Db, username: string): Promise<boolean> {
  return !(await findUserByUsername(db, username));
}

export async function getUser(db: Db, userId: number): Promise<User> {
  const row = await findUserById(db, userId);
  // The session resolved a moment ago; a missing row means the account was just deleted.
  if (!row) throw unauthorized();
  return toUser(row);
}

const currentPasswordRequired = () =>
  new AppError(403, 'current_password_required', 'Confirm this change with your current password');

/**
 * Re-authentication for changes a stolen session must not make (decision 172): 403
 * `current_password_required` unless `password` is the account's. Wrong guesses count against the
 * account's failed-login limit, so a session cannot be used to brute-force the password either.
 */
export async function confirmCurrentPassword(db: Db, userId: number, password: string | undefined) {
  const row = await findUserById(db, userId);
  if (!row) throw unauthorized();
  if (!password) throw currentPasswordRequired();
  const attempt = await beginPasswordAttempt(db, row.username);
  if (!(await verifyPassword(row.password_hash, password))) throw currentPasswordRequired();
  await attempt.succeeded();
  return row;
}

/**
 * A new password or e-mail needs the current password; changing the password signs every other
 * session out, the current one stays signed in.
 */
export async function updateProfile(
  db: Db,
  identity: { userId: number; sessionId: string; via: 'session' | 'token' },
  input: UpdateMeInput,
): Promise<User> {
  const { currentPassword, ...data } = updateMeSchema.parse(input);
  const row = await findUserById(db, identity.userId);
  if (!row) throw unauthorized();
  const emailChanges = data.email !== undefined && data.email.toLowerCase() !== row.email.toLowerCase();
  if ((data.password !== undefined || emailChanges) && identity.via !== 'session') {
    throw new AppError(403, 'session_required', 'An access token cannot change the password or e-mail');
  }
  if (data.password !== undefined) {
    assertStrongPassword(data.password, { username: row.username, email: data.email ?? row.email });
  }
  if (data.password !== undefined || emailChanges) {
    await confirmCurrentPassword(db, identity.userId, currentPassword);
  }
  const changes: UserChanges = {
    email: data.email,
    first_name: data.firstName,
    last_name: data.lastName,
    phone: data.phone,
    country: data.country,
    city: data.city,
    password_hash: data.password === undefined ? undefined : await hashPassword(data.password),
  };
  for (const key of Object.keys(changes) as (keyof UserChanges)[]) {
    if (changes[key] === undefined) delete changes[key];
  }
  try {
    await updateUser(db, identity.userId, changes);
  } catch (error) {
    throw takenConflict(error) ?? error;
  }
  if (changes.password_hash) await revokeOtherSessions(db, identity.userId, identity.sessionId);
  return getUser(db, identity.userId);
}

export async function deleteAccount(db: Db, userId: number): Promise<void> {
  await deleteUser(db, userId);
}

/**
 * Creates an admin with this username, or promotes the existing user (any case) and sets the
 * password. Used by the `create-admin` command.
 */
export async function ensureAdmin(
  db: Db,
  input: { username: string; password: string; email?: string },
): Promise<{ user: User; created: boolean }> {
  assertStrongPassword(input.password, input);
  const passwordHash = await hashPassword(input.password);
  const promote = async (row: UserRow) => {
    await updateUser(db, row.id, { role: 'admin' satisfies Role, password_hash: passwordHash });
    return { user: await getUser(db, row.id), created: false };
  };
  const existing = await findUserByUsername(db, input.username);
  if (existing) return promote(existing);
  try {
    const id = await insertUser(db, {
      username: input.username,
      email: input.email ?? `${input.username.toLowerCase()}@admin.cartwise.local`,
      passwordHash,
      firstName: 'Store',
      lastName: 'Admin',
      phone: '+1 000 000 0000',
      country: 'Unknown',
      city: 'Unknown',
      role: 'admin',
    });
    return { user: await getUser(db, id), created: true };
  } catch (error) {
    const conflict = takenConflict(error);
    if (conflict?.code === 'username_taken') {
      const raced = await findUserByUsername(db, input.username);
      if (raced) return promote(raced);
    }
    throw conflict ?? error;
  }
}
