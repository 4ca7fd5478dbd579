import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { AssistantProductCard } from '../../contract/assistant.ts';
import { useNotify } from '../components/Notifications.tsx';
import { AddToCart } from '../components/ProductActions.tsx';
import { ProductImage } from '../components/ProductViews.tsx';
import { formatPrice } from '../format.ts';
import { type ChatMessage, useAssistant } from './useAssistant.ts';

function ProductCards({ products }: { products: AssistantProductCard[] }) {
  return (
    <ul className="chat-products">
      {products.map((p) => (
        <li key={p.id} className="chat-product">
          <ProductImage product={p} size="thumb" />
          <div className="chat-product__info">
            <Link to={`/products/${p.id}`}>{p.name}</Link>
            <span className="muted">
              {formatPrice(p.priceCents)} · {p.stock > 0 ? `${p.stock} in stock` : 'out of stock'}
            </span>
          </div>
          <AddToCart product={p} compact />
        </li>
      ))}
    </ul>
  );
}

function Message({ message }: { message: ChatMessage }) {
  return (
    <li className={`chat-msg chat-msg--${message.role}`}>
      <span className="visually-hidden">{message.role === 'user' ? 'You said:' : 'Assistant:'}</span>
      <div className="chat-msg__bubble" aria-busy={message.pending || undefined}>
        {message.content || (message.pending ? <span className="typing">Thinking…</span> : null)}
      </div>
      {message.products && message.products.length > 0 && <ProductCards products={message.products} />}
    </li>
  );
}

const SUGGESTIONS = [
  'What is on sale under $30?',
  'Do you have headphones in stock?',
  'What is your return policy?',
];

/** The chat itself: used by the Assistant page and the floating widget. */
export default function Chat({ compact = false }: { compact?: boolean }) {
  const chat = useAssistant();
  const [text, setText] = useState('');
  const notify = useNotify();
  const logRef = useRef<HTMLOListElement>(null);
  const limitReached = chat.problem === 'limit';

  // Follow the conversation as messages arrive and replies stream in.
  const lastLength = chat.messages.at(-1)?.content.length ?? 0;
  useEffect(() => {
    const log = logRef.current;
    if (log && lastLength >= 0) log.scrollTop = log.scrollHeight;
  }, [lastLength]);

  const ask = (question: string) => {
    const message = question.trim();
    if (!message || chat.busy || limitReached) return;
    if (message.length > 1000) return notify.notify('error', 'Keep your question under 1000 characters.');
    setText('');
    chat.send(message).catch(() => {
      setText(message);
    });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    ask(text);
  };

  const onNewChat = () =>
    chat.startNew().then(
      () => notify.success('New chat started.'),
      (error) => notify.failure(error, 'Could not start a new chat.'),
    );

  return (
    <div className={`chat${compact ? ' chat--compact' : ''}`}>
      <div className="chat__status">
        <span data-testid="prompts-left">
          {chat.remaining === null
            ? 'Connecting…'
            : `${chat.remaining} of ${chat.promptLimit} ${chat.promptLimit === 1 ? 'prompt' : 'prompts'} left in this chat`}
        </span>
        {chat.status && (
          <span className="muted">
            {chat.status.engine === 'openai' ? `AI model: ${chat.status.model}` : 'Offline engine'}
          </span>
        )}
      </div>
      <ol className="chat__log" ref={logRef} aria-live="polite" aria-label="Conversation">
        {chat.messages.length === 0 && (
          <li className="chat__hello">
            <p>Hi! Ask me about products, stock, prices, your cart or your orders.</p>
            <div className="chat__suggestions">
              {SUGGESTIONS.map((s) => (
                <button
                  key={s}
                  type="button"
                  className="btn btn--ghost btn--small"
                  onClick={() => ask(s)}
                  disabled={chat.busy}
                >
                  {s}
                </button>
              ))}
            </div>
          </li>
        )}
        {chat.messages.map((m, i) => (
          // Messages are only appended, so the index is a stable key.
          // biome-ignore lint/suspicious/noArrayIndexKey: append-only list
          <Message key={i} message={m} />
        ))}
      </ol>
      {chat.problemText && !limitReached && (
        <p className="callout callout--error" role="alert">
          {chat.problemText}
        </p>
      )}
      {limitReached ? (
        <div className="callout" role="status">
          <p>
            <strong>You have used all {chat.promptLimit} prompts in this chat.</strong>{' '}
            {chat.problemText && chat.problemText !== 'Prompt limit reached' ? chat.problemText : ''}
          </p>
          <button type="button" className="btn btn--primary" onClick={onNewChat}>
            Start a new chat
          </button>
        </div>
      ) : (
        <form className="chat__form" onSubmit={onSubmit}>
          <label htmlFor={compact ? 'chat-input-widget' : 'chat-input'} className="visually-hidden">
            Ask the shopping assistant
          </label>
          <input
            id={compact ? 'chat-input-widget' : 'chat-input'}
            value={text}
            maxLength={1000}
            autoComplete="off"
            placeholder="Ask about products, stock, orders…"
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" className="btn btn--primary" disabled={chat.busy || !text.trim()}>
            {chat.busy ? 'Sending…' : 'Send'}
          </button>
        </form>
      )}
    </div>
  );
}
