import { z } from 'zod';
import { accessTokenSchema, createdTokenSchema, createTokenSchema } from '../../../contract/access-tokens.ts';
import { requireSession } from '../../http/auth.ts';
import { idSegment } from '../../http/params.ts';
import type { ZodRoutes } from '../../http/route-kit.ts';
import type { ModuleDeps } from '../../module-deps.ts';
import { createAccessToken, listAccessTokens, revokeOwnAccessToken } from './access-tokens.ts';
import { confirmCurrentPassword } from './service.ts';

/**
 * `/api/me/tokens`: the user's personal access tokens, managed with a login session only (a token
 * cannot mint or revoke tokens). Registered inside the accounts module's signed-in route group.
 */
export function registerTokenRoutes(r: ZodRoutes, { db }: Pick<ModuleDeps, 'db'>) {
  r.get(
    '/api/me/tokens',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Your personal access tokens that still work (for outside agents via /mcp)',
        response: { 200: z.array(accessTokenSchema) },
      },
    },
    async (request) => listAccessTokens(db, requireSession(request).userId),
  );

  r.post(
    '/api/me/tokens',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Create a personal access token (`read` or `shop` scope, expiry in days); needs `currentPassword`. The secret is in this answer only',
        body: createTokenSchema,
        response: { 201: createdTokenSchema },
      },
    },
    async (request, reply) => {
      const { userId } = requireSession(request);
      await confirmCurrentPassword(db, userId, request.body.currentPassword);
      return reply.code(201).send(await createAccessToken(db, userId, request.body));
    },
  );

  r.delete(
    '/api/me/tokens/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Revoke one of your personal access tokens',
        params: z.object({ id: idSegment }),
      },
    },
    async (request, reply) => {
      await revokeOwnAccessToken(db, requireSession(request).userId, request.params.id);
      return reply.code(204).send();
    },
  );
}
