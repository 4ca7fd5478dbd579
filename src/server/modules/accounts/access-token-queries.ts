import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { PersonalAccessTokensTable } from '../../db/schema.ts';

/** SQL of personal access tokens. */

export type AccessTokenRow = Omit<Selectable<PersonalAccessTokensTable>, 'token_hash' | 'revoked_at'>;

const COLUMNS = [
  'id',
  'user_id',
  'name',
  'scope',
  'prefix',
  'created_at',
  'expires_at',
  'last_used_at',
] as const;

export async function insertAccessToken(
  db: Db,
  values: Omit<Selectable<PersonalAccessTokensTable>, 'id' | 'last_used_at' | 'revoked_at'>,
): Promise<number> {
  const result = await db.insertInto('personal_access_tokens').values(values).executeTakeFirstOrThrow();
  return Number(result.insertId);
}

/** The user's tokens that still work (not revoked, not expired), newest first. */
export function selectActiveTokens(db: Db, userId: number, now = Date.now()): Promise<AccessTokenRow[]> {
  return db
    .selectFrom('personal_access_tokens')
    .select(COLUMNS)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function countActiveTokens(db: Db, userId: number, now = Date.now()): Promise<number> {
  const row = await db
    .selectFrom('personal_access_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Only the owner's own token is revoked; false when there is none of that id. */
export async function revokeAccessToken(db: Db, userId: number, id: number): Promise<boolean> {
  const result = await db
    .updateTable('personal_access_tokens')
    .set({ revoked_at: Date.now() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The live token with this hash and its user's role. */
export function findLiveTokenByHash(db: Db, tokenHash: string, now = Date.now()) {
  return db
    .selectFrom('personal_access_tokens')
    .innerJoin('users', 'users.id', 'personal_access_tokens.user_id')
    .select([
      'personal_access_tokens.id as id',
      'personal_access_tokens.user_id as userId',
      'personal_access_tokens.scope as scope',
      'personal_access_tokens.last_used_at as lastUsedAt',
      'users.role as role',
    ])
    .where('personal_access_tokens.token_hash', '=', tokenHash)
    .where('personal_access_tokens.revoked_at', 'is', null)
    .where('personal_access_tokens.expires_at', '>', now)
    .executeTakeFirst();
}

export async function touchAccessToken(db: Db, id: number, at: number): Promise<void> {
  await db.updateTable('personal_access_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}
