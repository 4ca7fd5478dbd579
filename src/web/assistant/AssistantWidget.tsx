import { lazy, Suspense, useState } from 'react';
import { Link, useLocation } from 'react-router';

// The chat code loads only when someone opens the widget.
const Chat = lazy(() => import('./Chat.tsx'));

/** A floating "Ask the assistant" button on every page (except the Assistant page itself). */
export function AssistantWidget() {
  const [open, setOpen] = useState(false);
  const { pathname } = useLocation();
  if (pathname === '/assistant') return null;
  return (
    <aside className="assistant-widget" aria-label="Shopping assistant">
      {open && (
        <div className="assistant-widget__panel" id="assistant-panel">
          <div className="assistant-widget__head">
            <h2>Shopping assistant</h2>
            <Link to="/assistant" onClick={() => setOpen(false)}>
              Full page
            </Link>
          </div>
          <Suspense fallback={<p className="loading">Loading the assistant…</p>}>
            <Chat compact />
          </Suspense>
        </div>
      )}
      <button
        type="button"
        className="assistant-widget__toggle btn btn--primary"
        aria-expanded={open}
        aria-controls="assistant-panel"
        onClick={() => setOpen((o) => !o)}
      >
        {open ? 'Close assistant' : 'Ask the assistant'}
      </button>
    </aside>
  );
}
