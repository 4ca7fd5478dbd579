import { lazy, Suspense, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';

// The chat code loads only when someone opens the widget.
const Chat = lazy(() => import('./Chat.tsx'));

/** A floating "Ask the assistant" button on every page (except the Assistant page itself). */
export function AssistantWidget() {
  const [open, setOpen] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const { pathname } = useLocation();
  if (pathname === '/assistant') return null;

  const close = () => {
    setOpen(false);
    toggleRef.current?.focus();
  };

  return (
    <aside className="assistant-widget" aria-label="Shopping assistant">
      {open && (
        // Escape closes the panel from anywhere inside it, like a dialog would.
        // biome-ignore lint/a11y/noStaticElementInteractions: keyboard shortcut for the controls inside
        <div
          className="assistant-widget__panel"
          id="assistant-panel"
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
          }}
        >
          <div className="assistant-widget__head">
            <h2>Shopping assistant</h2>
            <Link to="/assistant" onClick={() => setOpen(false)}>
              Full page
            </Link>
          </div>
          <Suspense fallback={<p className="loading">Loading the assistant…</p>}>
            <Chat compact focusOnOpen />
          </Suspense>
        </div>
      )}
      <button
        ref={toggleRef}
        type="button"
        className="assistant-widget__toggle btn btn--primary"
        aria-expanded={open}
        aria-controls="assistant-panel"
        onClick={() => (open ? close() : setOpen(true))}
      >
        <svg className="assistant-widget__icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path
            fill="currentColor"
            d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2Zm3 6.5a1.5 1.5 0 1 0 0 .01Zm5 0a1.5 1.5 0 1 0 0 .01Zm5 0a1.5 1.5 0 1 0 0 .01Z"
          />
        </svg>
        {open ? 'Close assistant' : 'Ask the assistant'}
      </button>
    </aside>
  );
}
