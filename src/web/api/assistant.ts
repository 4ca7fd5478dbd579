import type { MethodResponse } from 'openapi-fetch';
import { ApiError, api, unwrap } from './client.ts';
import { keys } from './hooks.ts';
import { queryClient } from './query-client.ts';

export const assistantStatus = () => unwrap(api.GET('/api/assistant/status'));

export const createAssistantSession = () => unwrap(api.POST('/api/assistant/sessions'));

export const assistantSession = (id: string) =>
  unwrap(api.GET('/api/assistant/sessions/{id}', { params: { path: { id } } }));

/** The JSON answer of a prompt, which the stream's `done` event carries too. */
type AssistantReply = MethodResponse<typeof api, 'post', '/api/assistant/sessions/{id}/messages'>;

export interface ReplyStream {
  /** More reply text. */
  delta(text: string): void;
  /** The model failed mid-answer: discard the text shown so far (the offline engine answers). */
  reset(): void;
}

/** Reads `event:`/`data:` blocks of a server-sent-events body as they arrive. */
async function* serverSentEvents(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    buffer += decoder.decode(value, { stream: !done }).replaceAll('\r\n', '\n');
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) yield { event, data: JSON.parse(data.join('\n')) as Record<string, unknown> };
      end = buffer.indexOf('\n\n');
    }
    if (done) return;
  }
}

function problemOf(status: number, body: unknown): ApiError {
  const problem = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const code = typeof problem.code === 'string' ? problem.code : `http_${status}`;
  const detail =
    typeof problem.detail === 'string' && problem.detail
      ? problem.detail
      : status >= 500
        ? 'The assistant is unavailable right now. Please try again shortly.'
        : 'The assistant could not take that message.';
  return new ApiError(status, code, detail, problem);
}

/**
 * Sends one prompt and streams the reply into `stream`; resolves with the final reply (the `done`
 * event, the same object as the JSON answer). Failures are ApiErrors: 429 `prompt_limit_reached`
 * (with `scope` "session" or "daily"), 404 for a chat that is not the caller's, 0 for no network.
 */
export async function askAssistant(
  sessionId: string,
  message: string,
  stream: ReplyStream,
): Promise<AssistantReply> {
  const answer = await api
    .POST('/api/assistant/sessions/{id}/messages', {
      params: { path: { id: sessionId } },
      body: { message },
      headers: { accept: 'text/event-stream' },
      parseAs: 'stream',
    })
    .catch(() => {
      throw new ApiError(0, 'network_error', 'Cannot reach the store. Check your connection and try again.');
    });
  const body = answer.data;
  if (!answer.response.ok || !body) throw problemOf(answer.response.status, answer.error);
  try {
    for await (const { event, data } of serverSentEvents(body)) {
      if (event === 'delta') stream.delta(String(data.text ?? ''));
      else if (event === 'reset') stream.reset();
      // The `done` event carries the route's JSON answer, typed by the OpenAPI document.
      else if (event === 'done') {
        // Its tools may have added to the cart: the header badge and cart page refresh.
        void queryClient.invalidateQueries({ queryKey: keys.cart });
        return data as unknown as AssistantReply;
      } else if (event === 'error') {
        throw new ApiError(
          503,
          String(data.code ?? 'assistant_unavailable'),
          String(data.detail || 'The assistant could not answer; the prompt was not counted.'),
          data,
        );
      }
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
  }
  throw new ApiError(0, 'stream_cut', 'The reply was cut off. Please ask again.');
}
