import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canWrite } from '../../http/auth.ts';
import type { ModuleDeps } from '../../module-deps.ts';
import { createAssistantStore } from '../assistant/bindings.ts';
import { createAgentServer } from './server.ts';
import type { AgentCaller } from './tools.ts';

/**
 * `/mcp`: the Model Context Protocol's Streamable HTTP transport, stateless (decision 143). The
 * caller is the bearer token of the HTTP request, resolved by the REST API's own auth hook; a
 * cookie never counts here, so a page in the shopper's browser cannot drive an agent session.
 */

const MAX_BODY_BYTES = 64 * 1024;

function callerOf(request: FastifyRequest): AgentCaller {
  const bearer = /^bearer\s+\S/i.test(request.headers.authorization ?? '');
  const auth = bearer ? request.auth : null;
  return auth ? { userId: auth.userId, canWrite: canWrite(auth) } : { userId: null, canWrite: false };
}

export async function registerAgentRoutes(
  app: FastifyInstance,
  deps: Pick<ModuleDeps, 'db' | 'config' | 'events' | 'listing' | 'behaviour'>,
) {
  const store = createAssistantStore({ ...deps, log: app.log });
  const rateLimit = { max: deps.config.MCP_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 };

  app.post(
    '/mcp',
    {
      bodyLimit: MAX_BODY_BYTES,
      config: { rateLimit },
      schema: {
        tags: ['agents'],
        summary: 'Model Context Protocol (Streamable HTTP, stateless)',
        hide: true,
      },
    },
    async (request, reply) => {
      const origin = `${request.protocol}://${request.host}`;
      const server = createAgentServer({ caller: callerOf(request), store, origin });
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      reply.hijack();
      reply.raw.on('close', () => {
        transport.close().catch(() => undefined);
        server.close().catch(() => undefined);
      });
      try {
        await server.connect(transport);
        await transport.handleRequest(request.raw, reply.raw, request.body);
      } catch (error) {
        request.log.error({ err: error }, 'mcp request failed');
        if (!reply.raw.headersSent) {
          reply.raw.writeHead(500, { 'content-type': 'application/json' });
          reply.raw.end(
            JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null }),
          );
        }
      }
    },
  );

  // Stateless: no server-initiated stream to open and no session to end.
  for (const method of ['GET', 'DELETE'] as const) {
    app.route({
      method,
      url: '/mcp',
      config: { rateLimit },
      schema: { hide: true },
      handler: async (_request, reply) =>
        reply
          .code(405)
          .header('allow', 'POST')
          .send({
            jsonrpc: '2.0',
            error: { code: -32000, message: 'Method not allowed: this endpoint is stateless' },
            id: null,
          }),
    });
  }
}
