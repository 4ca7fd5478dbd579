import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type {
  AssistantMessage,
  AssistantReply,
  AssistantSession,
  AssistantSessionSummary,
  AssistantStatus,
} from '../../../contract/assistant.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../app-error.ts';
import { metrics } from '../../http/metrics.ts';
import type { BehaviourLog } from '../events/service.ts';
import { answerLocally } from './engines/local/router.ts';
import {
  answerWithLlm,
  isOutage,
  type LlmProvider,
  LlmTimeoutError,
  llmProvidersFrom,
  UngroundedAnswerError,
} from './engines/openai.ts';
import type { EngineInput, EngineResult } from './engines/types.ts';
import {
  type DailyCounter,
  insertExchange,
  insertSession,
  refundPrompt,
  reservePrompt,
  type SessionRow,
  selectMessages,
  selectSession,
} from './queries.ts';
import type { AssistantStore } from './tools.ts';

/** Who is chatting: the signed-in user, or the guest of the `cartwise_guest` cookie. */
export interface AssistantIdentity {
  userId: number | null;
  guestId: string | null;
  /** The client address (as TRUST_PROXY_HOPS defines it); a guest's daily cap also counts per address. */
  address?: string | null;
}

export interface AssistantServiceDeps {
  db: Db;
  config: Config;
  store: AssistantStore;
  behaviour: BehaviourLog;
  /** Overrides the providers built from the config (tests, benchmarks). */
  providers?: LlmProvider[];
}

/** Receives a streamed reply; `reset` discards what `delta` showed so far. */
export interface ReplySink {
  delta(text: string): void;
  reset(): void;
}

/** A prompt taken from the allowances, waiting for its answer. */
export interface PromptTicket {
  identity: AssistantIdentity;
  session: SessionRow;
  daily: DailyCounter[];
  promptsUsed: number;
  receivedAt: number;
}

export const OFFLINE_NOTE = 'The AI model is unavailable right now, so I answered offline.';

/** Earlier turns the model sees; with 5 prompts a session this is the whole conversation. */
const HISTORY_MESSAGES = 20;

function utcDay(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The daily allowances a prompt draws from: the user's; or, for a guest, the cookie's and the
 * client address's, so that dropping the cookie does not buy a fresh allowance (decision 140).
 */
function dailyCounters(identity: AssistantIdentity, config: Config): DailyCounter[] {
  const day = utcDay();
  if (identity.userId !== null) {
    return [
      {
        identity: `user:${identity.userId}`,
        day,
        userId: identity.userId,
        limit: config.ASSISTANT_DAILY_LIMIT_USER,
      },
    ];
  }
  const limit = config.ASSISTANT_DAILY_LIMIT_GUEST;
  const counters: DailyCounter[] = [{ identity: `guest:${identity.guestId}`, day, userId: null, limit }];
  if (identity.address) counters.push({ identity: `addr:${identity.address}`, day, userId: null, limit });
  return counters;
}

function owns(session: SessionRow, identity: AssistantIdentity): boolean {
  if (identity.userId !== null) return session.userId === identity.userId;
  return session.userId === null && identity.guestId !== null && session.guestId === identity.guestId;
}

function parseProducts(json: string | null) {
  if (!json) return undefined;
  const products = JSON.parse(json);
  return Array.isArray(products) && products.length > 0 ? products : undefined;
}

/** Streams an already complete text in small pieces so the UI renders it like a model's reply. */
function streamText(text: string, sink: Pick<EngineInput, 'onDelta'>): void {
  if (!sink.onDelta) return;
  for (const piece of text.match(/\S+\s*|\s+/g) ?? []) sink.onDelta(piece);
}

export function createAssistantService(deps: AssistantServiceDeps) {
  const { db, config, store } = deps;
  const providers = deps.providers ?? llmProvidersFrom(config);

  async function ownedSession(identity: AssistantIdentity, id: string): Promise<SessionRow> {
    const session = await selectSession(db, id);
    if (!session || !owns(session, identity)) throw notFound('Chat session');
    return session;
  }

  /** The LLM providers in turn, then the offline engine; never throws for an LLM failure. */
  async function answer(input: EngineInput, log: FastifyBaseLogger): Promise<EngineResult> {
    let shown = false;
    const tracked: EngineInput = {
      ...input,
      onDelta: (text) => {
        shown = true;
        input.onDelta?.(text);
      },
    };
    for (const [i, provider] of providers.entries()) {
      try {
        const result = await answerWithLlm(provider, tracked);
        metrics.assistantReplies.inc({ engine: 'openai' });
        return { ...result, engine: 'openai' };
      } catch (error) {
        const reason =
          error instanceof LlmTimeoutError
            ? 'timeout'
            : error instanceof UngroundedAnswerError
              ? 'ungrounded'
              : 'error';
        log.warn({ err: error, provider: provider.label, reason }, 'assistant model failed');
        if (shown) {
          input.onReset?.();
          shown = false;
        }
        if (isOutage(error) && i + 1 < providers.length) continue;
        metrics.assistantFallbacks.inc({ reason });
        break;
      }
    }
    const local = await answerLocally({ ...input, onDelta: undefined });
    const content = providers.length > 0 ? `${OFFLINE_NOTE}\n\n${local.content}` : local.content;
    streamText(content, input);
    metrics.assistantReplies.inc({ engine: 'local' });
    return { ...local, content, engine: 'local' };
  }

  return {
    status(): AssistantStatus {
      return providers.length > 0
        ? { engine: 'openai', model: providers[0].model }
        : { engine: 'local', model: 'local' };
    },

    async createSession(identity: AssistantIdentity): Promise<AssistantSessionSummary> {
      const id = randomUUID();
      await insertSession(db, {
        id,
        userId: identity.userId,
        guestId: identity.userId === null ? identity.guestId : null,
        promptLimit: config.ASSISTANT_PROMPT_LIMIT,
      });
      return { id, promptLimit: config.ASSISTANT_PROMPT_LIMIT, promptsUsed: 0 };
    },

    async getSession(identity: AssistantIdentity, id: string): Promise<AssistantSession> {
      const session = await ownedSession(identity, id);
      const rows = await selectMessages(db, id);
      const messages: AssistantMessage[] = rows.map((r) => {
        const products = parseProducts(r.products);
        return {
          role: r.role,
          content: r.content,
          ...(products ? { products } : {}),
          createdAt: new Date(Number(r.created_at)).toISOString(),
        };
      });
      return { id, promptLimit: session.promptLimit, promptsUsed: session.promptsUsed, messages };
    },

    /**
     * Checks ownership and takes one prompt from the session and the daily allowance, before any
     * model is called. Throws 404 or 429; the returned ticket is then answered with `answerPrompt`.
     */
    async beginPrompt(identity: AssistantIdentity, id: string): Promise<PromptTicket> {
      const session = await ownedSession(identity, id);
      const daily = dailyCounters(identity, config);
      const reservation = await reservePrompt(db, id, daily);
      if (!reservation.ok) {
        const detail =
          reservation.scope === 'session'
            ? `This chat has used all of its ${reservation.limit} prompts; start a new chat`
            : `You have used your ${reservation.limit} assistant prompts for today; try again tomorrow`;
        throw new AppError(429, 'prompt_limit_reached', detail, {
          scope: reservation.scope,
          promptLimit: session.promptLimit,
          promptsRemaining: 0,
        });
      }
      return { identity, session, daily, promptsUsed: reservation.promptsUsed, receivedAt: Date.now() };
    },

    /**
     * Answers a begun prompt, stores the exchange and records a `chat` event. A prompt that gets no
     * answer at all (the offline engine failed too, e.g. the database went away) is refunded.
     */
    async answerPrompt(
      ticket: PromptTicket,
      message: string,
      log: FastifyBaseLogger,
      sink?: ReplySink,
    ): Promise<AssistantReply> {
      const { identity, session, daily } = ticket;
      let result: EngineResult;
      try {
        const history = (await selectMessages(db, session.id)).slice(-HISTORY_MESSAGES).map((m) => ({
          role: m.role,
          content: m.content,
          productIds: (parseProducts(m.products) ?? []).map((p: { id: number }) => Number(p.id)),
        }));
        result = await answer(
          {
            message,
            history,
            ctx: { userId: identity.userId, store },
            onDelta: sink ? (t) => sink.delta(t) : undefined,
            onReset: sink ? () => sink.reset() : undefined,
          },
          log,
        );
        await insertExchange(db, session.id, [
          { role: 'user', content: message, products: null, engine: null, created_at: ticket.receivedAt },
          {
            role: 'assistant',
            content: result.content,
            products: result.products.length ? JSON.stringify(result.products) : null,
            engine: result.engine,
            created_at: Date.now(),
          },
        ]);
      } catch (error) {
        await refundPrompt(db, session.id, daily).catch((e) => log.error({ err: e }, 'prompt refund failed'));
        throw error;
      }
      await deps.behaviour.record(identity, 'chat', {
        payload: { sessionId: session.id, engine: result.engine, prompt: ticket.promptsUsed },
      });
      return {
        reply: {
          role: 'assistant',
          content: result.content,
          ...(result.products.length ? { products: result.products } : {}),
        },
        promptsUsed: ticket.promptsUsed,
        promptsRemaining: Math.max(0, session.promptLimit - ticket.promptsUsed),
        engine: result.engine,
      };
    },
  };
}

export type AssistantService = ReturnType<typeof createAssistantService>;
