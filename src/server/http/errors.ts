import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../app-error.ts';
import { isDatabaseUnavailable } from '../db/dialect.ts';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed_body'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed_body'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'malformed_body'],
  FST_ERR_REQ_FILE_TOO_LARGE: [413, 'payload_too_large'],
};

export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, code, ...extra });
}

interface FieldIssue {
  instancePath?: string;
  message?: string;
  params?: { issue?: { path?: PropertyKey[] } };
}

function fieldErrors(error: FastifyError) {
  const context = (error as FastifyError & { validationContext?: string }).validationContext;
  return ((error.validation ?? []) as FieldIssue[]).map((v) => {
    const path = v.params?.issue?.path?.map(String).join('.') || v.instancePath?.replace(/^\//, '') || '';
    return { field: path || context || 'body', in: context, message: v.message ?? 'Invalid value' };
  });
}

/**
 * Fastify's `frameworkErrors` option: URLs the router rejects before any route or hook runs (bad
 * percent-encoding, a path parameter over `maxParamLength`) answer problem+json like the rest.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendProblem(reply, 414, 'uri_too_long', 'A path segment of this URL is too long');
  }
  return sendProblem(reply, 400, 'bad_url', 'The URL is malformed');
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError)
      return sendProblem(reply, error.status, error.code, error.message, error.extra);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = fieldErrors(error);
      const names = [...new Set(errors.map((e) => e.field))].join(', ');
      return sendProblem(reply, 422, 'validation_failed', `Invalid value for: ${names}`, { errors });
    }
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) return sendProblem(reply, known[0], known[1], error.message);
    if (error.statusCode === 429) return sendProblem(reply, 429, 'rate_limited', error.message);
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, error.statusCode, 'bad_request', error.message);
    }
    if (isDatabaseUnavailable(error)) {
      request.log.error({ err: error }, 'database unavailable');
      return sendProblem(
        reply,
        503,
        'database_unavailable',
        'The database is unavailable; try again shortly',
      );
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, 500, 'internal_error', 'Something went wrong on our side');
  });

  app.setNotFoundHandler((request, reply) => {
    const page = pageFallbacks.get(app)?.(request, reply);
    if (page) return page;
    return sendProblem(
      reply,
      404,
      'not_found',
      `No route for ${request.method} ${request.url.split('?')[0]}`,
    );
  });
}

/** Answers an unknown route itself (returning the reply) or declines (undefined) for a problem 404. */
export type PageFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;
const pageFallbacks = new WeakMap<FastifyInstance, PageFallback>();

/** Lets the web plugin answer browser navigations to client-side routes with the app shell. */
export function setPageFallback(app: FastifyInstance, fallback: PageFallback) {
  pageFallbacks.set(app, fallback);
}
