import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import { loggerOptions } from '../logging.ts';
import { frameworkErrorHandler, registerErrorHandling } from './errors.ts';

/**
 * The Fastify instance both HTTP entry points start from (the app and the standalone ML service):
 * logging with request ids, zod validation and serialisation, problem+json errors.
 */
export function createHttpServer(config: Config): FastifyInstance {
  const app = Fastify({
    logger: loggerOptions(config),
    bodyLimit: 1024 * 1024,
    // Off by default: a client could otherwise pick its own IP (and rate-limit key) via X-Forwarded-For.
    trustProxy: (_address: string, hop: number) => hop < config.TRUST_PROXY_HOPS,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: 'x-request-id',
    ajv: { customOptions: { coerceTypes: false } },
    frameworkErrors: frameworkErrorHandler,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  acceptEmptyJsonBodies(app);
  return app;
}

/**
 * Many clients send `Content-Type: application/json` on every request, bodiless DELETEs included.
 * An empty body then means "no body" (schemas still reject it where one is required), not a 400.
 */
function acceptEmptyJsonBodies(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    return parseJson(request, body as string, done);
  });
}
