import type { FastifyInstance } from 'fastify';
import { AppError } from '../app-error.ts';

/** No API body nests deeper than a few levels; 32 leaves room and stops `[[[[…` early. */
export const MAX_JSON_DEPTH = 32;

/**
 * How deeply `text` nests, scanning at most until it passes `limit`: one pass over the characters,
 * skipping strings, so a megabyte of `[` costs a fraction of what JSON.parse would spend on it.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/**
 * The JSON body parser (decision 173): an empty body means "no body" (many clients send
 * `Content-Type: application/json` on bodiless DELETEs); API routes that declare no body schema
 * refuse a non-empty one (400 `body_not_allowed`) without parsing it; bodies nested deeper than
 * MAX_JSON_DEPTH are 400 `malformed_body` before JSON.parse runs. Size limits are Fastify's
 * `bodyLimit`, per route where a route needs more than the default.
 */
export function registerJsonBodyParser(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text === '') return done(null, undefined);
    if (request.url.startsWith('/api/') && !request.routeOptions.schema?.body) {
      return done(new AppError(400, 'body_not_allowed', 'This endpoint takes no request body'), undefined);
    }
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      return done(
        new AppError(400, 'malformed_body', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`),
        undefined,
      );
    }
    return parseJson(request, text, done);
  });
}
