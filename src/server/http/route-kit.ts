import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireAdmin, requireUser } from './auth.ts';

/**
 * What every module's routes.ts builds its routes from: the OpenAPI security requirement of the
 * session, the problem+json response schema, and route groups that need a signed-in user or an
 * admin. The id-segment parser for `:id` paths is `idSegment` in params.ts.
 */

/** A session is a bearer token or the session cookie (the `securitySchemes` in openapi.ts). */
export const SESSION_SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

/**
 * The application/problem+json body every error answers with (errors.ts `sendProblem`); extra
 * members such as `errors` pass through.
 */
export const problemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
});

/** The app (or a scope of it) with zod schemas typing requests and replies. */
export type ZodRoutes = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Who may call the routes of a group. */
export type Access = 'signed-in' | 'admin';

const accessChecks: Record<Access, (request: FastifyRequest) => Promise<void>> = {
  'signed-in': async (request) => {
    requireUser(request);
  },
  admin: async (request) => {
    requireAdmin(request);
  },
};

/**
 * Registers `routes` in their own scope behind one access check, the one mechanism for it: an
 * `onRequest` hook, so it runs before the body is read and the path, query and body are validated
 * (a guest gets 401 and a customer 403 whatever they sent). Every route of the group is documented
 * with the session security requirement unless it names its own.
 */
export async function routeGroup(
  app: FastifyInstance,
  access: Access,
  routes: (r: ZodRoutes, scope: FastifyInstance) => void | Promise<void>,
): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, security: route.schema?.security ?? SESSION_SECURITY };
    });
    scope.addHook('onRequest', accessChecks[access]);
    await routes(scope.withTypeProvider<ZodTypeProvider>(), scope);
  });
}
