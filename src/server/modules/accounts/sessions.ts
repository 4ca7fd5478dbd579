import { randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { TokenScope } from '../../../contract/access-tokens.ts';
import type { Db } from '../../db/database.ts';

/**
 * A login is a row in `sessions` plus a signed JWT naming it. The signature spares a lookup for
 * forged tokens; the row makes logout and account deletion revoke the token at once.
 */

export interface SessionIdentity {
  userId: number;
  role: 'customer' | 'admin';
  /** The `sessions` row; for a personal access token `pat:<id>`, which no session row has. */
  sessionId: string;
  /** A login session, or a personal access token (access-tokens.ts) limited to its scope. */
  via: 'session' | 'token';
  /** The token's scope; null for a login session, which may do everything the user may. */
  scope: TokenScope | null;
}

export interface IssuedSession {
  token: string;
  expiresAt: Date;
}

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

/** The HMAC key for a secret, imported once rather than on every sign and verify. */
function keyOf(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    keys.set(secret, key);
  }
  return key;
}

export async function issueSession(
  db: Db,
  secret: string,
  userId: number,
  ttlDays: number,
): Promise<IssuedSession> {
  const now = Date.now();
  const expiresAt = new Date(now + ttlDays * 86_400_000);
  const sessionId = randomBytes(24).toString('base64url');
  await db
    .insertInto('sessions')
    .values({
      id: sessionId,
      user_id: userId,
      created_at: now,
      expires_at: expiresAt.getTime(),
      revoked_at: null,
    })
    .execute();
  const token = await new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(userId))
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(await keyOf(secret));
  return { token, expiresAt };
}

/** The identity behind a token, or null when it is forged, expired, revoked or its user is gone. */
export async function resolveSession(db: Db, secret: string, token: string): Promise<SessionIdentity | null> {
  let sessionId: string;
  let userId: number;
  try {
    const { payload } = await jwtVerify(token, await keyOf(secret), { algorithms: ['HS256'] });
    if (typeof payload.sid !== 'string' || !payload.sub) return null;
    sessionId = payload.sid;
    userId = Number(payload.sub);
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return null;
    throw error;
  }
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id as userId', 'users.role as role'])
    .where('sessions.id', '=', sessionId)
    .where('sessions.user_id', '=', userId)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', Date.now())
    .executeTakeFirst();
  return row ? { userId: row.userId, role: row.role, sessionId, via: 'session', scope: null } : null;
}

export async function revokeSession(db: Db, sessionId: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: Date.now() }).where('id', '=', sessionId).execute();
}
