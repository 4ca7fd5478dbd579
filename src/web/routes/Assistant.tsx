import { lazy, Suspense } from 'react';
import { usePageTitle } from './usePageTitle.ts';

const Chat = lazy(() => import('../assistant/Chat.tsx'));

export function Assistant() {
  usePageTitle('Assistant');
  return (
    <div className="assistant-page">
      <h1>Shopping assistant</h1>
      <p className="muted">It answers from the live catalog: prices and stock are always current.</p>
      <Suspense fallback={<p className="loading">Loading the assistant…</p>}>
        <Chat />
      </Suspense>
    </div>
  );
}
