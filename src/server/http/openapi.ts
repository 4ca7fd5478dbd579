import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export async function registerOpenApi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Cartwise API',
        version: '1.0.0',
        description: 'Storefront, cart, assistant and ML API',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description:
              'A session token from `POST /api/auth/login` (a JWT), or a personal access token (`cw_pat_…`) from `POST /api/me/tokens`. A token of scope `read` may only read (403 `insufficient_scope` on writes); no access token may change the password or e-mail, delete the account, manage tokens or use admin routes (403 `session_required` / `forbidden`).',
          },
          cookie: { type: 'apiKey', in: 'cookie', name: 'cartwise_session' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
