import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { UsersTable } from '../../db/schema.ts';

/** SQL of the accounts module. */

export type UserRow = Pick<
  Selectable<UsersTable>,
  | 'id'
  | 'username'
  | 'email'
  | 'first_name'
  | 'last_name'
  | 'phone'
  | 'country'
  | 'city'
  | 'role'
  | 'created_at'
  | 'password_hash'
>;

const USER_COLUMNS = [
  'id',
  'username',
  'email',
  'first_name',
  'last_name',
  'phone',
  'country',
  'city',
  'role',
  'created_at',
  'password_hash',
] as const;

export function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** Case-insensitive, through the indexed `username_key = lower(username)` column. */
export function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('username_key', '=', username.toLowerCase())
    .executeTakeFirst();
}

export interface NewUser {
  username: string;
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  phone: string;
  country: string;
  city: string;
  role: 'customer' | 'admin';
  isSynthetic?: boolean;
}

/** Throws the driver's unique violation when the username or email is taken. */
export async function insertUser(db: Db, user: NewUser, createdAt = Date.now()): Promise<number> {
  const result = await db
    .insertInto('users')
    .values({
      username: user.username,
      email: user.email,
      password_hash: user.passwordHash,
      first_name: user.firstName,
      last_name: user.lastName,
      phone: user.phone,
      country: user.country,
      city: user.city,
      role: user.role,
      is_synthetic: user.isSynthetic ? 1 : 0,
      created_at: createdAt,
    })
    .executeTakeFirstOrThrow();
  return Number(result.insertId);
}

export interface UserChanges {
  email?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  country?: string;
  city?: string;
  password_hash?: string;
  role?: 'customer' | 'admin';
}

export async function updateUser(db: Db, id: number, changes: UserChanges): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

/** Sessions, favorites, the cart, events, mails and assistant data go with it through ON DELETE CASCADE. */
export async function deleteUser(db: Db, id: number): Promise<boolean> {
  const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function revokeOtherSessions(db: Db, userId: number, keepSessionId: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: Date.now() })
    .where('user_id', '=', userId)
    .where('id', '!=', keepSessionId)
    .where('revoked_at', 'is', null)
    .execute();
}
