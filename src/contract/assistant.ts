import { z } from 'zod';

/** The shapes of the shopping assistant's API, shared by the server and the web app. */

export const assistantEngineSchema = z.enum(['openai', 'local']);
export type AssistantEngineName = z.infer<typeof assistantEngineSchema>;

/** A product as the assistant shows it: allow-listed fields only, live price and stock. */
export const assistantProductCardSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  category: z.object({ id: z.number().int(), name: z.string(), slug: z.string() }),
  priceCents: z.number().int(),
  stock: z.number().int(),
  imageUrl: z.string().nullable(),
});
export type AssistantProductCard = z.infer<typeof assistantProductCardSchema>;

export const assistantMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  products: z.array(assistantProductCardSchema).optional(),
  createdAt: z.string(),
});
export type AssistantMessage = z.infer<typeof assistantMessageSchema>;

export const assistantSessionSummarySchema = z.object({
  id: z.string(),
  promptLimit: z.number().int(),
  promptsUsed: z.number().int(),
});
export type AssistantSessionSummary = z.infer<typeof assistantSessionSummarySchema>;

export const assistantSessionSchema = assistantSessionSummarySchema.extend({
  messages: z.array(assistantMessageSchema),
});
export type AssistantSession = z.infer<typeof assistantSessionSchema>;

export const assistantSessionParamsSchema = z.object({ id: z.uuid() });

export const sendAssistantMessageBodySchema = z.object({
  message: z
    .string()
    .min(1)
    .max(1000)
    .refine((s) => s.trim().length > 0, 'Message must not be blank'),
});
export type SendAssistantMessageBody = z.infer<typeof sendAssistantMessageBodySchema>;

export const assistantReplySchema = z.object({
  reply: z.object({
    role: z.literal('assistant'),
    content: z.string(),
    products: z.array(assistantProductCardSchema).optional(),
  }),
  promptsUsed: z.number().int(),
  promptsRemaining: z.number().int(),
  engine: assistantEngineSchema,
});
export type AssistantReply = z.infer<typeof assistantReplySchema>;

export const assistantStatusSchema = z.object({
  engine: assistantEngineSchema,
  model: z.string(),
});
export type AssistantStatus = z.infer<typeof assistantStatusSchema>;

/**
 * Server-sent events of `POST /api/assistant/sessions/:id/messages` with `Accept: text/event-stream`:
 * `delta` `{ text }` appends to the reply being shown; `reset` `{}` discards what was shown so far
 * (the model failed mid-answer and the offline engine answers instead); `done` carries an
 * AssistantReply and ends the stream; `error` `{ code, detail }` ends a stream that got no answer.
 */
export const ASSISTANT_STREAM_EVENTS = ['delta', 'reset', 'done', 'error'] as const;
export type AssistantStreamEvent = (typeof ASSISTANT_STREAM_EVENTS)[number];
