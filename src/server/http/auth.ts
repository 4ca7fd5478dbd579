import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { resolveAccessToken, TOKEN_PREFIX } from '../modules/accounts/access-tokens.ts';
import { resolveSession, type SessionIdentity } from '../modules/accounts/sessions.ts';
import { AppError, forbidden, unauthorized } from '../app-error.ts';

export const SESSION_COOKIE = 'cartwise_session';
export const GUEST_COOKIE = 'cartwise_guest';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The signed-in identity, from the session or a personal access token only (never from a
     * path, body or model output); null for guests and bad tokens.
     */
    auth: SessionIdentity | null;
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Who sent this request: `Authorization: Bearer` with a session token or a personal access token
 * (`cw_pat_…`), else the session cookie. The one function every route and the MCP endpoint use.
 */
export async function identify(
  deps: { db: Db; config: Pick<Config, 'JWT_SECRET'> },
  request: FastifyRequest,
): Promise<SessionIdentity | null> {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith('bearer ')) {
    const token = header.slice(7).trim();
    if (!token) return null;
    if (token.startsWith(TOKEN_PREFIX)) return resolveAccessToken(deps.db, token);
    return resolveSession(deps.db, deps.config.JWT_SECRET, token);
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  return cookie ? resolveSession(deps.db, deps.config.JWT_SECRET, cookie) : null;
}

/** A `read` token may only read; a `shop` token and a login session may also change things. */
export const canWrite = (auth: SessionIdentity) => auth.via === 'session' || auth.scope === 'shop';

export function registerAuth(app: FastifyInstance, deps: { db: Db; config: Config }) {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    request.auth = await identify(deps, request);
    // The REST API's writes need write scope; /mcp checks each tool itself (read tools are POSTs).
    if (
      request.auth &&
      !canWrite(request.auth) &&
      UNSAFE_METHODS.has(request.method) &&
      request.url.startsWith('/api/')
    ) {
      throw new AppError(403, 'insufficient_scope', 'This access token may only read');
    }
  });
}

export function requireUser(request: FastifyRequest): SessionIdentity {
  if (!request.auth) throw unauthorized();
  return request.auth;
}

/**
 * Account management (password, e-mail, deletion, tokens) needs a login session: a personal access
 * token never does these, whatever its scope.
 */
export function requireSession(request: FastifyRequest): SessionIdentity {
  const auth = requireUser(request);
  if (auth.via !== 'session') {
    throw new AppError(403, 'session_required', 'Sign in with your password to manage your account');
  }
  return auth;
}

/** Admin work needs an admin's login session; access tokens act as shoppers only. */
export function requireAdmin(request: FastifyRequest): SessionIdentity {
  const auth = requireUser(request);
  if (auth.role !== 'admin' || auth.via !== 'session') throw forbidden();
  return auth;
}

export function cookieOptions(config: Config, maxAgeSeconds: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.NODE_ENV === 'production',
    maxAge: maxAgeSeconds,
  };
}

const GUEST_ID = /^[0-9a-f-]{36}$/;

/** The guest's id from the httpOnly cookie, minted (and set) on first use. */
export function guestIdOf(request: FastifyRequest, reply: FastifyReply, config: Config): string {
  const existing = request.cookies?.[GUEST_COOKIE];
  if (existing && GUEST_ID.test(existing)) return existing;
  const id = randomUUID();
  reply.setCookie(GUEST_COOKIE, id, cookieOptions(config, 365 * 86_400));
  request.cookies[GUEST_COOKIE] = id;
  return id;
}
