import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { isApiError } from '../api/client.ts';

export type NoticeKind = 'success' | 'error' | 'info';

interface Notice {
  id: number;
  kind: NoticeKind;
  message: string;
}

interface Notifier {
  notify(kind: NoticeKind, message: string): void;
  success(message: string): void;
  /** Shows a failure: an ApiError's readable detail, or `fallback` for anything else. */
  failure(error: unknown, fallback?: string): void;
}

const NotifierContext = createContext<Notifier | null>(null);

const VISIBLE_MS = 6000;

/**
 * Toasts for every outcome, shared by the storefront and the admin console. Successes go to a
 * polite live region; failures are role="alert" so screen readers announce them at once.
 */
export function NotificationProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setNotices((list) => list.filter((n) => n.id !== id)), []);

  const notifier = useMemo<Notifier>(() => {
    const notify = (kind: NoticeKind, message: string) => {
      const id = nextId.current++;
      setNotices((list) => [...list.slice(-3), { id, kind, message }]);
      setTimeout(() => dismiss(id), kind === 'error' ? VISIBLE_MS * 1.5 : VISIBLE_MS);
    };
    return {
      notify,
      success: (message) => notify('success', message),
      failure: (error, fallback = 'Something went wrong. Please try again.') =>
        notify('error', isApiError(error) ? error.message : fallback),
    };
  }, [dismiss]);

  return (
    <NotifierContext.Provider value={notifier}>
      {children}
      <div className="toasts" aria-live="polite" aria-relevant="additions">
        {notices.map((n) => (
          <div key={n.id} className={`toast toast--${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
            <span className="toast__icon" aria-hidden="true">
              {n.kind === 'success' ? '✓' : n.kind === 'error' ? '!' : 'i'}
            </span>
            <span className="toast__message">{n.message}</span>
            <button
              type="button"
              className="toast__close"
              onClick={() => dismiss(n.id)}
              aria-label="Dismiss notification"
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </NotifierContext.Provider>
  );
}

export function useNotify(): Notifier {
  const notifier = useContext(NotifierContext);
  if (!notifier) throw new Error('useNotify must be used inside NotificationProvider');
  return notifier;
}
