import { randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { TokenScope } from '../../../contract/access-tokens.ts';
import type { Db } from '../../db/database.ts';
import { BatchWhileBusy } from '../../batch-while-busy.ts';

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
  const claims = await verifiedClaims(secret, token);
  if (!claims) return null;
  const { sessionId, userId } = claims;
  const row = await liveSessions(db).call(sessionId);
  return row && row.userId === userId
    ? { userId: row.userId, role: row.role, sessionId, via: 'session', scope: null }
    : null;
}

interface Claims {
  secret: string;
  sessionId: string;
  userId: number;
  expiresAtMs: number;
}

/**
 * Tokens whose signature was checked lately, with their claims. WebCrypto's HMAC costs a
 * thread-pool hop on every request; a token's signature never changes, its expiry is checked on
 * every use, and the session row is still read every time.
 */
const verified = new Map<string, Claims>();
const MAX_VERIFIED = 10_000;

async function verifiedClaims(secret: string, token: string): Promise<Claims | null> {
  const known = verified.get(token);
  if (known && known.secret === secret && known.expiresAtMs > Date.now()) return known;
  try {
    const { payload } = await jwtVerify(token, await keyOf(secret), { algorithms: ['HS256'] });
    if (typeof payload.sid !== 'string' || !payload.sub) return null;
    const claims = {
      secret,
      sessionId: payload.sid,
      userId: Number(payload.sub),
      expiresAtMs: (payload.exp ?? 0) * 1000,
    };
    if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value as string);
    verified.set(token, claims);
    return claims;
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return null;
    throw error;
  }
}

type LiveSession = { userId: number; role: SessionIdentity['role'] };
const lookups = new WeakMap<Db, BatchWhileBusy<string, LiveSession | undefined>>();

/**
 * The session rows still live (not revoked, not expired), looked up for every request so that a
 * logout revokes at once; concurrent requests share one query (batch-while-busy.ts).
 */
function liveSessions(db: Db): BatchWhileBusy<string, LiveSession | undefined> {
  let lookup = lookups.get(db);
  if (!lookup) {
    lookup = new BatchWhileBusy(
      async (sessionIds) => {
        const rows = await db
          .selectFrom('sessions')
          .innerJoin('users', 'users.id', 'sessions.user_id')
          .select(['sessions.id as sessionId', 'users.id as userId', 'users.role as role'])
          .where('sessions.id', 'in', [...new Set(sessionIds)])
          .where('sessions.revoked_at', 'is', null)
          .where('sessions.expires_at', '>', Date.now())
          .execute();
        const byId = new Map(rows.map((r) => [r.sessionId, { userId: r.userId, role: r.role }]));
        return sessionIds.map((id) => byId.get(id));
      },
      { maxBatch: 200, maxRunning: 2 },
    );
    lookups.set(db, lookup);
  }
  return lookup;
}

export async function revokeSession(db: Db, sessionId: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: Date.now() }).where('id', '=', sessionId).execute();
}
