import type {
  AssistantReply,
  AssistantSession,
  AssistantSessionSummary,
  AssistantStatus,
} from '../../contract/assistant.ts';
import { ApiError, api } from './client.ts';

export const assistantStatus = () => api<AssistantStatus>('/api/assistant/status');

export const createAssistantSession = () =>
  api<AssistantSessionSummary>('/api/assistant/sessions', { method: 'POST' });

export const assistantSession = (id: string) =>
  api<AssistantSession>(`/api/assistant/sessions/${encodeURIComponent(id)}`);

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

async function problemOf(response: Response): Promise<ApiError> {
  const problem = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  const code = typeof problem.code === 'string' ? problem.code : `http_${response.status}`;
  const detail =
    typeof problem.detail === 'string' && problem.detail
      ? problem.detail
      : response.status >= 500
        ? 'The assistant is unavailable right now. Please try again shortly.'
        : 'The assistant could not take that message.';
  return new ApiError(response.status, code, detail, problem);
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
  let response: Response;
  try {
    response = await fetch(`/api/assistant/sessions/${encodeURIComponent(sessionId)}/messages`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ message }),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Cannot reach the store. Check your connection and try again.');
  }
  if (!response.ok || !response.body) throw await problemOf(response);
  try {
    for await (const { event, data } of serverSentEvents(response.body)) {
      if (event === 'delta') stream.delta(String(data.text ?? ''));
      else if (event === 'reset') stream.reset();
      else if (event === 'done') return data as unknown as AssistantReply;
      else if (event === 'error') {
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
