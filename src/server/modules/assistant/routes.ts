import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  assistantReplySchema,
  assistantSessionParamsSchema,
  assistantSessionSchema,
  assistantSessionSummarySchema,
  assistantStatusSchema,
  sendAssistantMessageBodySchema,
} from '../../../contract/assistant.ts';
import { guestIdOf } from '../../http/auth.ts';
import { AppError } from '../../app-error.ts';
import { registerRateLimit } from '../../http/rate-limit.ts';
import { problemSchema as problem } from '../../http/route-kit.ts';
import type { ModuleDeps } from '../../module-deps.ts';
import { createAssistantStore } from './bindings.ts';
import { type AssistantIdentity, createAssistantService } from './service.ts';

function sse(stream: PassThrough, event: string, data: unknown): void {
  if (!stream.writableEnded) stream.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export async function registerAssistantRoutes(
  app: FastifyInstance,
  deps: Pick<ModuleDeps, 'db' | 'config' | 'events' | 'listing' | 'behaviour'>,
) {
  const { config } = deps;
  // Registered by the app already; kept safe for an app assembled without it.
  if (!app.hasDecorator('rateLimit')) await registerRateLimit(app, deps.db);
  const service = createAssistantService({
    db: deps.db,
    config,
    behaviour: deps.behaviour,
    store: createAssistantStore({ ...deps, log: app.log }),
  });
  const r = app.withTypeProvider<ZodTypeProvider>();

  const identityOf = (request: FastifyRequest, reply: FastifyReply): AssistantIdentity =>
    request.auth
      ? { userId: request.auth.userId, guestId: null, address: request.ip }
      : { userId: null, guestId: guestIdOf(request, reply, config), address: request.ip };
  // Sessions and messages each count per client address (request.ip, as TRUST_PROXY_HOPS defines it).
  const perMinute = { max: config.ASSISTANT_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 };

  r.get(
    '/api/assistant/status',
    {
      schema: {
        tags: ['assistant'],
        summary: 'Which engine answers',
        response: { 200: assistantStatusSchema },
      },
    },
    async () => service.status(),
  );

  r.post(
    '/api/assistant/sessions',
    {
      config: { rateLimit: perMinute },
      schema: {
        tags: ['assistant'],
        summary: 'Start a chat session (guests too)',
        response: { 201: assistantSessionSummarySchema, 429: problem },
      },
    },
    async (request, reply) => reply.code(201).send(await service.createSession(identityOf(request, reply))),
  );

  r.get(
    '/api/assistant/sessions/:id',
    {
      schema: {
        tags: ['assistant'],
        summary: 'A chat session of the caller, with its messages',
        params: assistantSessionParamsSchema,
        response: { 200: assistantSessionSchema, 404: problem },
      },
    },
    async (request, reply) => service.getSession(identityOf(request, reply), request.params.id),
  );

  r.post(
    '/api/assistant/sessions/:id/messages',
    {
      config: {
        rateLimit: { ...perMinute, groupId: 'assistant' },
      },
      schema: {
        tags: ['assistant'],
        summary: 'Ask the assistant; JSON, or server-sent events with Accept: text/event-stream',
        description:
          'Events: `delta` {text}, `reset` {} (discard the text shown so far), then one `done` carrying the ' +
          'same object as the JSON reply, or `error` {code, detail}.',
        params: assistantSessionParamsSchema,
        body: sendAssistantMessageBodySchema,
        response: { 200: assistantReplySchema, 404: problem, 429: problem },
      },
    },
    async (request, reply) => {
      const ticket = await service.beginPrompt(identityOf(request, reply), request.params.id);
      const message = request.body.message.trim();
      if (!(request.headers.accept ?? '').includes('text/event-stream')) {
        return service.answerPrompt(ticket, message, request.log);
      }
      const stream = new PassThrough();
      service
        .answerPrompt(ticket, message, request.log, {
          delta: (text) => sse(stream, 'delta', { text }),
          reset: () => sse(stream, 'reset', {}),
        })
        .then(
          (result) => sse(stream, 'done', result),
          (error) => {
            request.log.error({ err: error }, 'assistant stream failed');
            const known = error instanceof AppError;
            sse(stream, 'error', {
              code: known ? error.code : 'assistant_unavailable',
              detail: known ? error.message : 'The assistant could not answer; the prompt was not counted',
            });
          },
        )
        .finally(() => stream.end());
      return (reply as FastifyReply)
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no')
        .send(stream);
    },
  );
}
