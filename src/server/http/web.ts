import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { setPageFallback } from './errors.ts';

export const DEFAULT_WEB_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../dist/web');

// Paths owned by the server: an unknown one is a real 404, never the web app's shell.
const SERVER_PATHS = /^\/(api|health|docs|openapi\.json|metrics)(\/|$)/;
const HASHED_ASSET = /^\/assets\//;

/** A browser navigating to a client-side route: GET/HEAD, wants HTML, no file extension. */
function isPageRequest(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0];
  if (SERVER_PATHS.test(path) || /\.[a-z0-9]+$/i.test(path)) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

/**
 * Serves the built single-page app from `root` (dist/web): hashed assets cached for a year,
 * index.html revalidated every time, and the shell for any client-side route.
 */
export async function registerWeb(app: FastifyInstance, root = DEFAULT_WEB_ROOT) {
  const built = existsSync(resolve(root, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      cacheControl: false,
      setHeaders: (res, path) => {
        const relative = path.slice(root.length).replaceAll('\\', '/');
        res.header(
          'cache-control',
          HASHED_ASSET.test(relative)
            ? 'public, max-age=31536000, immutable'
            : relative.endsWith('.html')
              ? 'no-cache'
              : 'public, max-age=3600',
        );
      },
    });
  }

  setPageFallback(app, (request: FastifyRequest, reply: FastifyReply) => {
    if (!isPageRequest(request)) return undefined;
    if (built) return reply.header('cache-control', 'no-cache').sendFile('index.html');
    return reply
      .code(503)
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><title>Cartwise</title><p>The web app is not built yet. Run <code>npm run build</code> (or <code>npm start</code>, which builds it first).</p>',
      );
  });
}
