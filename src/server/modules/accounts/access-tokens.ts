import { createHash, randomBytes } from 'node:crypto';
import {
  type AccessToken,
  type CreatedToken,
  type CreateTokenInput,
  createTokenSchema,
} from '../../../contract/access-tokens.ts';
import { AppError, notFound } from '../../app-error.ts';
import type { Db } from '../../db/database.ts';
import {
  type AccessTokenRow,
  countActiveTokens,
  findLiveTokenByHash,
  insertAccessToken,
  revokeAccessToken,
  selectActiveTokens,
  touchAccessToken,
} from './access-token-queries.ts';
import type { SessionIdentity } from './sessions.ts';

/**
 * Personal access tokens (decision 175): a random secret the user hands an outside agent (MCP)
 * instead of the password. Only its SHA-256 is stored — the secret has 256 random bits, so a
 * fast hash is enough and lookups stay one indexed read. It is shown once, at creation.
 */

/** Every secret starts with this, so the auth hook knows which kind of bearer token it holds. */
export const TOKEN_PREFIX = 'cw_pat_';
const MAX_ACTIVE_TOKENS = 20;
/** `last_used_at` is written at most this often per token, not on every request. */
const TOUCH_EVERY_MS = 60_000;

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

function toAccessToken(row: AccessTokenRow): AccessToken {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    prefix: row.prefix,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    expiresAt: new Date(Number(row.expires_at)).toISOString(),
    lastUsedAt: row.last_used_at === null ? null : new Date(Number(row.last_used_at)).toISOString(),
  };
}

export async function listAccessTokens(db: Db, userId: number): Promise<AccessToken[]> {
  return (await selectActiveTokens(db, userId)).map(toAccessToken);
}

/** The caller has already re-authenticated (accounts service `confirmCurrentPassword`). */
export async function createAccessToken(
  db: Db,
  userId: number,
  input: CreateTokenInput,
): Promise<CreatedToken> {
  const data = createTokenSchema.parse(input);
  if ((await countActiveTokens(db, userId)) >= MAX_ACTIVE_TOKENS) {
    throw new AppError(
      409,
      'too_many_tokens',
      `At most ${MAX_ACTIVE_TOKENS} active tokens; revoke one first`,
    );
  }
  const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const now = Date.now();
  const row = {
    user_id: userId,
    name: data.name,
    scope: data.scope,
    token_hash: hashOf(secret),
    prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
    created_at: now,
    expires_at: now + data.expiresInDays * 86_400_000,
  };
  const id = await insertAccessToken(db, row);
  return { token: toAccessToken({ ...row, id, last_used_at: null }), secret };
}

export async function revokeOwnAccessToken(db: Db, userId: number, id: number): Promise<void> {
  if (!(await revokeAccessToken(db, userId, id))) throw notFound('Token');
}

/** The identity behind a token secret, or null when it is unknown, revoked or expired. */
export async function resolveAccessToken(db: Db, secret: string): Promise<SessionIdentity | null> {
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  const now = Date.now();
  const row = await findLiveTokenByHash(db, hashOf(secret), now);
  if (!row) return null;
  if (row.lastUsedAt === null || now - Number(row.lastUsedAt) > TOUCH_EVERY_MS) {
    await touchAccessToken(db, row.id, now);
  }
  return { userId: row.userId, role: row.role, sessionId: `pat:${row.id}`, via: 'token', scope: row.scope };
}
