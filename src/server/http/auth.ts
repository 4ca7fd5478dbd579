import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { resolveSession, type SessionIdentity } from '../modules/accounts/sessions.ts';
import { forbidden, unauthorized } from '../app-error.ts';

export const SESSION_COOKIE = 'cartwise_session';
export const GUEST_COOKIE = 'cartwise_guest';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in identity, from the session only; null for guests and bad tokens. */
    auth: SessionIdentity | null;
  }
}

function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim() || null;
  return request.cookies?.[SESSION_COOKIE] ?? null;
}

export function registerAuth(app: FastifyInstance, deps: { db: Db; config: Config }) {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    const token = tokenOf(request);
    request.auth = token ? await resolveSession(deps.db, deps.config.JWT_SECRET, token) : null;
  });
}

export function requireUser(request: FastifyRequest): SessionIdentity {
  if (!request.auth) throw unauthorized();
  return request.auth;
}

export function requireAdmin(request: FastifyRequest): SessionIdentity {
  const auth = requireUser(request);
  if (auth.role !== 'admin') throw forbidden();
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
