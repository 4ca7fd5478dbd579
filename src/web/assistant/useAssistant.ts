import { useCallback, useEffect, useRef, useState } from 'react';
import type { AssistantMessage, AssistantProductCard, AssistantStatus } from '../../contract/assistant.ts';
import { askAssistant, assistantSession, assistantStatus, createAssistantSession } from '../api/assistant.ts';
import { isApiError } from '../api/client.ts';
import { useMe } from '../api/hooks.ts';

// Per tab (decision 080): a reload resumes the chat, a new tab or a shared computer's next visitor does not.
const SESSION_KEY = 'cartwise.assistant.session';

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
  products?: AssistantProductCard[];
  /** The reply is still streaming in. */
  pending?: boolean;
  /** The AI model failed and the offline engine wrote this reply. */
  offline?: boolean;
}

/** Why no more prompts can be sent: this chat is used up, or the identity's allowance for today. */
export interface ChatLimit {
  scope: 'session' | 'daily';
  /** The server's words when it refused a prompt (429), otherwise empty. */
  detail: string;
}

interface State {
  sessionId: string | null;
  promptLimit: number;
  promptsUsed: number;
  messages: ChatMessage[];
}

const EMPTY: State = { sessionId: null, promptLimit: 0, promptsUsed: 0, messages: [] };

const fromHistory = (m: AssistantMessage): ChatMessage => ({
  role: m.role,
  content: m.content,
  products: m.products,
});

const savedSession = () => {
  try {
    return sessionStorage.getItem(SESSION_KEY);
  } catch {
    return null;
  }
};

const saveSession = (id: string | null) => {
  try {
    if (id) sessionStorage.setItem(SESSION_KEY, id);
    else sessionStorage.removeItem(SESSION_KEY);
  } catch {
    // Storage disabled: the chat still works, it just does not survive a reload.
  }
};

/**
 * One chat with the shopping assistant: resumed from the server when this tab has one, started
 * afresh otherwise (so the prompts left are known before the first question); replies stream in.
 * `send` rejects with an ApiError the caller shows; a refused or failed prompt leaves no trace.
 */
export function useAssistant() {
  const [state, setState] = useState<State>(EMPTY);
  const [status, setStatus] = useState<AssistantStatus | null>(null);
  const [unreachable, setUnreachable] = useState(false);
  const [limit, setLimit] = useState<ChatLimit | null>(null);
  const [busy, setBusy] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const loaded = useRef(false);

  const startNew = useCallback(async () => {
    const s = await createAssistantSession();
    saveSession(s.id);
    setUnreachable(false);
    setState({ sessionId: s.id, promptLimit: s.promptLimit, promptsUsed: s.promptsUsed, messages: [] });
    setLimit(null);
    return s.id;
  }, []);

  useEffect(() => {
    if (loaded.current) return;
    loaded.current = true;
    assistantStatus().then(setStatus, () => setUnreachable(true));
    const saved = savedSession();
    // Someone else's chat (after logging in or out) or an expired one is a 404: start afresh.
    const resume = saved
      ? assistantSession(saved).then((s) => {
          setState({
            sessionId: s.id,
            promptLimit: s.promptLimit,
            promptsUsed: s.promptsUsed,
            messages: s.messages.map(fromHistory),
          });
          if (s.promptsUsed >= s.promptLimit) setLimit({ scope: 'session', detail: '' });
        })
      : Promise.reject(new Error('no chat in this tab'));
    resume.catch(() => startNew().catch(() => setUnreachable(true)));
  }, [startNew]);

  // Logging in or out while the chat is on screen: the chat shown belongs to the previous identity
  // (and the server now answers 404 for it), so it is cleared and a new one started.
  const { data: me, isSuccess } = useMe();
  const identity = isSuccess ? (me ? `user:${me.id}` : 'guest') : null;
  const identitySeen = useRef<string | null>(null);
  useEffect(() => {
    if (identity === null) return;
    const before = identitySeen.current;
    identitySeen.current = identity;
    if (before === null || before === identity) return;
    saveSession(null);
    setState(EMPTY);
    setLimit(null);
    setAnnouncement('');
    startNew().catch(() => setUnreachable(true));
  }, [identity, startNew]);

  const updateReply = useCallback(
    (change: (m: ChatMessage) => ChatMessage) =>
      setState((s) => {
        const last = s.messages.at(-1);
        return last?.role === 'assistant'
          ? { ...s, messages: [...s.messages.slice(0, -1), change(last)] }
          : s;
      }),
    [],
  );

  const send = useCallback(
    async (text: string) => {
      setBusy(true);
      const stream = {
        delta: (t: string) => updateReply((m) => ({ ...m, content: m.content + t })),
        reset: () => updateReply((m) => ({ ...m, content: '', offline: true })),
      };
      try {
        // Opened before the question is shown: a new chat starts with an empty conversation.
        let sessionId = state.sessionId ?? (await startNew());
        setState((s) => ({
          ...s,
          messages: [
            ...s.messages,
            { role: 'user', content: text },
            { role: 'assistant', content: '', pending: true },
          ],
        }));
        let reply: Awaited<ReturnType<typeof askAssistant>>;
        try {
          reply = await askAssistant(sessionId, text, stream);
        } catch (error) {
          // The chat is gone or belongs to whoever was signed in before: ask again in a new one.
          if (!isApiError(error) || error.status !== 404) throw error;
          sessionId = await startNew();
          setState((s) => ({
            ...s,
            messages: [
              { role: 'user', content: text },
              { role: 'assistant', content: '', pending: true },
            ],
          }));
          reply = await askAssistant(sessionId, text, stream);
        }
        const offline = reply.engine === 'local' && status?.engine === 'openai';
        updateReply((m) => ({
          role: 'assistant',
          content: reply.reply.content,
          products: reply.reply.products,
          offline: offline || m.offline,
        }));
        setState((s) => ({
          ...s,
          promptsUsed: reply.promptsUsed,
          promptLimit: reply.promptsUsed + reply.promptsRemaining,
        }));
        setUnreachable(false);
        if (reply.promptsRemaining <= 0) setLimit({ scope: 'session', detail: '' });
        const left = `${reply.promptsRemaining} ${reply.promptsRemaining === 1 ? 'prompt' : 'prompts'} left.`;
        setAnnouncement(`Assistant: ${reply.reply.content} ${left}`);
      } catch (error) {
        setState((s) => ({
          ...s,
          messages: s.messages.at(-1)?.pending ? s.messages.slice(0, -2) : s.messages,
        }));
        if (isApiError(error, 'prompt_limit_reached')) {
          const scope = error.problem.scope === 'daily' ? 'daily' : 'session';
          setLimit({ scope, detail: error.message });
          if (scope === 'session') setState((s) => ({ ...s, promptsUsed: s.promptLimit }));
        }
        throw error;
      } finally {
        setBusy(false);
      }
    },
    [state.sessionId, status, startNew, updateReply],
  );

  const remaining = state.sessionId ? Math.max(0, state.promptLimit - state.promptsUsed) : null;
  return { ...state, remaining, status, unreachable, limit, busy, announcement, send, startNew };
}
