import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import { loggerOptions } from '../logging.ts';
import { frameworkErrorHandler, registerErrorHandling } from './errors.ts';
import { registerJsonBodyParser } from './json-body.ts';

/**
 * The Fastify instance both HTTP entry points start from (the app and the standalone ML service):
 * logging with request ids, zod validation and serialisation, problem+json errors.
 */
export function createHttpServer(config: Config): FastifyInstance {
  const app = Fastify({
    logger: loggerOptions(config),
    // Every JSON body of the API fits in 64 KiB (a 5,000-character description is the largest);
    // uploads and CSV imports set their own, larger `bodyLimit` per route (decision 173).
    bodyLimit: 64 * 1024,
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
  registerJsonBodyParser(app);
  return app;
}
