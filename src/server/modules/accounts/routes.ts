import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  deleteMeSchema,
  loginResponseSchema,
  loginSchema,
  registerResponseSchema,
  registerSchema,
  updateMeSchema,
  userSchema,
  usernameAvailableSchema,
  usernameSchema,
} from '../../../contract/accounts.ts';
import type { Config } from '../../config.ts';
import { cookieOptions, requireSession, requireUser, SESSION_COOKIE } from '../../http/auth.ts';
import { routeGroup, SESSION_SECURITY } from '../../http/route-kit.ts';
import { AppError } from '../../app-error.ts';
import type { ModuleDeps } from '../../module-deps.ts';
import {
  confirmCurrentPassword,
  deleteAccount,
  getUser,
  isUsernameAvailable,
  logIn,
  logOut,
  registerUser,
  type SignedIn,
  updateProfile,
} from './service.ts';
import { registerTokenRoutes } from './token-routes.ts';

function setSessionCookie(reply: FastifyReply, config: Config, session: SignedIn) {
  const maxAge = Math.max(0, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000));
  reply.setCookie(SESSION_COOKIE, session.token, cookieOptions(config, maxAge));
}

export async function registerAccountsRoutes(app: FastifyInstance, deps: Pick<ModuleDeps, 'db' | 'config'>) {
  const { db, config } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Login and register share one budget per client IP (one limiter, so one counter).
  const authLimiter = app.createRateLimit({
    max: config.AUTH_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => `auth:${request.ip}`,
  });
  // The availability check gets the same budget in a counter of its own: the register form asks it
  // as the user types, which must not use up the attempts of the registration itself.
  const usernameCheckLimiter = app.createRateLimit({
    max: config.AUTH_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => `username-check:${request.ip}`,
  });
  const limitedBy = (limiter: typeof authLimiter) => async (request: FastifyRequest, reply: FastifyReply) => {
    const verdict = await limiter(request);
    if (verdict.isAllowed || !verdict.isExceeded) return;
    reply.header('retry-after', String(verdict.ttlInSeconds));
    throw new AppError(429, 'rate_limited', `Too many attempts; try again in ${verdict.ttlInSeconds} s`);
  };
  const authLimit = limitedBy(authLimiter);

  r.post(
    '/api/auth/register',
    {
      onRequest: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'Create a customer account and sign in',
        body: registerSchema,
        response: { 201: registerResponseSchema },
      },
    },
    async (request, reply) => {
      const session = await registerUser(db, config, request.body);
      setSessionCookie(reply, config, session);
      return reply.code(201).send({ user: session.user, token: session.token });
    },
  );

  r.post(
    '/api/auth/login',
    {
      onRequest: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'Sign in (JSON, or form-encoded as in the OAuth2 password flow)',
        consumes: ['application/json', 'application/x-www-form-urlencoded'],
        body: loginSchema,
        response: { 200: loginResponseSchema },
      },
    },
    async (request, reply) => {
      const session = await logIn(db, config, request.body);
      setSessionCookie(reply, config, session);
      return {
        user: session.user,
        token: session.token,
        expiresAt: session.expiresAt.toISOString(),
        access_token: session.token,
        token_type: 'bearer' as const,
      };
    },
  );

  r.post(
    '/api/auth/logout',
    { schema: { tags: ['accounts'], summary: 'Revoke the current session', security: SESSION_SECURITY } },
    async (request, reply) => {
      if (request.auth) await logOut(db, request.auth.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );

  r.get(
    '/api/auth/username-available',
    {
      onRequest: limitedBy(usernameCheckLimiter),
      schema: {
        tags: ['accounts'],
        summary: 'Whether a username is free (case-insensitive)',
        querystring: z.object({ username: usernameSchema }),
        response: { 200: usernameAvailableSchema },
      },
    },
    async (request) => ({ available: await isUsernameAvailable(db, request.query.username) }),
  );

  // Who is signed in, answered 200 for guests too: the web app asks on every page load, and a 401
  // there would log a console error for every guest visit (decision 162).
  r.get(
    '/api/auth/session',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The signed-in user, or `user: null` for a guest (never 401)',
        response: { 200: z.object({ user: userSchema.nullable() }) },
      },
    },
    async (request) => ({ user: request.auth ? await getUser(db, request.auth.userId) : null }),
  );

  // The profile: signed in, checked before the body so a guest gets 401 rather than a 422.
  await routeGroup(app, 'signed-in', (r) => {
    r.get(
      '/api/me',
      {
        schema: { tags: ['accounts'], response: { 200: userSchema } },
      },
      async (request) => getUser(db, requireUser(request).userId),
    );

    r.patch(
      '/api/me',
      {
        schema: {
          tags: ['accounts'],
          summary:
            'Update the profile; a new password or e-mail needs `currentPassword`, and a new password signs out every other session',
          body: updateMeSchema,
          response: { 200: userSchema },
        },
      },
      async (request) => updateProfile(db, requireUser(request), request.body),
    );

    registerTokenRoutes(r, deps);

    r.delete(
      '/api/me',
      {
        schema: {
          tags: ['accounts'],
          summary: 'Delete the account and everything associated with it; needs `{ password }`',
          // No body at all (Fastify hands the schema null) counts as no password: 403, not 422.
          body: deleteMeSchema.nullish(),
        },
      },
      async (request, reply) => {
        const { userId } = requireSession(request);
        await confirmCurrentPassword(db, userId, request.body?.password);
        await deleteAccount(db, userId);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send();
      },
    );
  });
}
