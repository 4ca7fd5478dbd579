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
        <span aria-hidden="true">💬 </span>
        {open ? 'Close assistant' : 'Ask the assistant'}
      </button>
    </aside>
  );
}
