import helmet from 'helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { AppError } from '../app-error.ts';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// Swagger UI renders with inline styles and data: images; only its pages get this looser policy.
const DOCS_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** `CORS_ORIGIN` is a comma-separated list of exact origins, e.g. `https://shop.example.com`. */
function allowedOrigins(config: Pick<Config, 'CORS_ORIGIN'>): Set<string> {
  return new Set(
    (config.CORS_ORIGIN ?? '')
      .split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter(Boolean),
  );
}

function ownHost(request: FastifyRequest): string | null {
  try {
    return new URL(`${request.protocol}://${request.host}`).host;
  } catch {
    return null;
  }
}

function isForeignOrigin(request: FastifyRequest, origin: string, allowed: Set<string>): boolean {
  if (allowed.has(origin)) return false;
  try {
    return new URL(origin).host !== ownHost(request);
  } catch {
    return true; // "null" (sandboxed frames, file:) and garbage are foreign
  }
}

/**
 * Security headers and a content-security policy fit for the built single-page app, CORS only for
 * configured origins, and refusal of state-changing requests that ride on cookies from another
 * origin (bearer-token clients choose to send their token, so they are not exposed to CSRF).
 */
export function registerSecurity(app: FastifyInstance, deps: { config: Config }) {
  const production = deps.config.NODE_ENV === 'production';
  // One middleware built at start-up: @fastify/helmet rebuilt it, policy parsing included, per request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        // Behind TLS only: on plain-http development it would break every asset.
        ...(production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: production ? { maxAge: 15_552_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)),
  );

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url === '/docs' || request.url.startsWith('/docs/')) {
      reply.header('content-security-policy', DOCS_CSP);
    }
    return payload;
  });

  const allowed = allowedOrigins(deps.config);
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin && allowed.has(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-allow-credentials', 'true');
      reply.header('vary', 'Origin');
      if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
        reply.header('access-control-allow-methods', 'GET, HEAD, POST, PUT, PATCH, DELETE');
        reply.header(
          'access-control-allow-headers',
          request.headers['access-control-request-headers'] ?? 'content-type, authorization',
        );
        reply.header('access-control-max-age', '600');
        return reply.code(204).send();
      }
    }
    if (!UNSAFE_METHODS.has(request.method)) return;
    if (request.headers.authorization?.toLowerCase().startsWith('bearer ')) return;
    const crossSite = request.headers['sec-fetch-site'];
    const foreign = origin
      ? isForeignOrigin(request, origin, allowed)
      : crossSite === 'cross-site' || crossSite === 'same-site';
    if (foreign) {
      throw new AppError(
        403,
        'cross_origin_refused',
        'State-changing requests from another origin must use a bearer token',
      );
    }
  });
}
