import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  AssistantMessage,
  AssistantProductCard,
  AssistantReply,
  AssistantSession,
  AssistantSessionSummary,
  AssistantStatus,
} from '../../contract/assistant.ts';
import { ApiError, api, isApiError } from '../api/client.ts';

const SESSION_KEY = 'cartwise.assistant.session';

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
  products?: AssistantProductCard[];
  /** The reply is still streaming in. */
  pending?: boolean;
}

export type ChatProblem = 'limit' | 'offline' | null;

interface State {
  sessionId: string | null;
  promptLimit: number;
  promptsUsed: number;
  messages: ChatMessage[];
}

const fromHistory = (m: AssistantMessage): ChatMessage => ({
  role: m.role,
  content: m.content,
  products: m.products,
});

/** Reads `event:`/`data:` blocks from a server-sent-events body as they arrive. */
async function* readEvents(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data += line.slice(5).trim();
      }
      yield { event, data: data ? JSON.parse(data) : {} };
      end = buffer.indexOf('\n\n');
    }
  }
}

async function problemOf(response: Response): Promise<ApiError> {
  const problem = await response.json().catch(() => ({}));
  return new ApiError(
    response.status,
    typeof problem.code === 'string' ? problem.code : `http_${response.status}`,
    typeof problem.detail === 'string' ? problem.detail : 'The assistant could not answer.',
    problem,
  );
}

/**
 * One chat session with the shopping assistant: restored from the server when this browser has
 * one, created on the first prompt otherwise; replies stream in as they are written.
 */
export function useAssistant() {
  const [state, setState] = useState<State>({
    sessionId: null,
    promptLimit: 0,
    promptsUsed: 0,
    messages: [],
  });
  const [status, setStatus] = useState<AssistantStatus | null>(null);
  const [problem, setProblem] = useState<ChatProblem>(null);
  const [problemText, setProblemText] = useState('');
  const [busy, setBusy] = useState(false);
  const loaded = useRef(false);

  const startNew = useCallback(async () => {
    const s = await api<AssistantSessionSummary>('/api/assistant/sessions', { method: 'POST' });
    localStorage.setItem(SESSION_KEY, s.id);
    setState({ sessionId: s.id, promptLimit: s.promptLimit, promptsUsed: s.promptsUsed, messages: [] });
    setProblem(null);
    setProblemText('');
    return s.id;
  }, []);

  useEffect(() => {
    if (loaded.current) return;
    loaded.current = true;
    api<AssistantStatus>('/api/assistant/status').then(setStatus, () => {
      setProblem('offline');
      setProblemText('The assistant is offline right now. Please try again later.');
    });
    // Resume this browser's chat; someone else's (after logout) or a missing one starts afresh,
    // so the prompts left are known before the first question.
    const saved = localStorage.getItem(SESSION_KEY);
    const resume = saved
      ? api<AssistantSession>(`/api/assistant/sessions/${saved}`).then((s) => {
          setState({
            sessionId: s.id,
            promptLimit: s.promptLimit,
            promptsUsed: s.promptsUsed,
            messages: s.messages.map(fromHistory),
          });
          if (s.promptsUsed >= s.promptLimit) setProblem('limit');
        })
      : Promise.reject(new Error('no saved chat'));
    resume.catch(() => startNew().catch(() => undefined));
  }, [startNew]);

  const updateLast = useCallback(
    (change: (m: ChatMessage) => ChatMessage) =>
      setState((s) => ({
        ...s,
        messages: [...s.messages.slice(0, -1), change(s.messages[s.messages.length - 1])],
      })),
    [],
  );

  const send = useCallback(
    async (text: string) => {
      setBusy(true);
      setProblemText('');
      try {
        const sessionId = state.sessionId ?? (await startNew());
        setState((s) => ({
          ...s,
          messages: [
            ...s.messages,
            { role: 'user', content: text },
            { role: 'assistant', content: '', pending: true },
          ],
        }));
        const response = await fetch(`/api/assistant/sessions/${sessionId}/messages`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
          body: JSON.stringify({ message: text }),
        });
        if (!response.ok || !response.body) throw await problemOf(response);
        let finished = false;
        for await (const { event, data } of readEvents(response.body)) {
          if (event === 'delta') updateLast((m) => ({ ...m, content: m.content + String(data.text ?? '') }));
          else if (event === 'reset') updateLast((m) => ({ ...m, content: '' }));
          else if (event === 'done') {
            const reply = data as AssistantReply;
            finished = true;
            updateLast(() => ({
              role: 'assistant',
              content: reply.reply.content,
              products: reply.reply.products,
            }));
            setState((s) => ({
              ...s,
              promptsUsed: reply.promptsUsed,
              promptLimit: reply.promptsUsed + reply.promptsRemaining,
            }));
            setStatus((st) => (st ? { ...st, engine: reply.engine } : st));
            if (reply.promptsRemaining <= 0) setProblem('limit');
          } else if (event === 'error') {
            throw new ApiError(503, String(data.code ?? 'assistant_unavailable'), String(data.detail ?? ''));
          }
        }
        if (!finished)
          throw new ApiError(503, 'assistant_unavailable', 'The reply was cut off. Please ask again.');
      } catch (error) {
        // Drop the unanswered exchange; a refused prompt is not counted.
        setState((s) => ({
          ...s,
          messages: s.messages.at(-1)?.pending ? s.messages.slice(0, -2) : s.messages,
        }));
        if (isApiError(error, 'prompt_limit_reached')) {
          setProblem('limit');
          setProblemText(error.message);
        } else if (isApiError(error) && error.status === 404) {
          localStorage.removeItem(SESSION_KEY);
          setState((s) => ({ ...s, sessionId: null }));
          setProblemText('That chat has ended. Send your question again to start a new one.');
        } else {
          const offline = !isApiError(error) || error.status === 0 || error.status >= 500;
          setProblemText(
            offline
              ? 'The assistant is offline right now. Please try again in a moment.'
              : isApiError(error)
                ? error.message
                : 'The assistant could not answer.',
          );
        }
        throw error;
      } finally {
        setBusy(false);
      }
    },
    [state.sessionId, startNew, updateLast],
  );

  const remaining = state.sessionId ? Math.max(0, state.promptLimit - state.promptsUsed) : null;
  return { ...state, remaining, status, problem, problemText, busy, send, startNew };
}
