import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { AssistantProductCard } from '../../contract/assistant.ts';
import { useNotify } from '../components/Notifications.tsx';
import { AddToCart } from '../components/ProductActions.tsx';
import { ProductImage } from '../components/ProductViews.tsx';
import { formatPrice } from '../format.ts';
import { Markdown } from './Markdown.tsx';
import { type ChatMessage, useAssistant } from './useAssistant.ts';

const MAX_CHARS = 1000;

function ProductCards({ products }: { products: AssistantProductCard[] }) {
  return (
    <ul className="chat-products" aria-label="Products in this answer">
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
  const mine = message.role === 'user';
  return (
    <li className={`chat-msg chat-msg--${message.role}`}>
      <span className="visually-hidden">{mine ? 'You said:' : 'Assistant:'}</span>
      {message.offline && <span className="chat-msg__offline">Answered offline</span>}
      <div className="chat-msg__bubble" aria-busy={message.pending || undefined}>
        {mine ? (
          message.content
        ) : message.content ? (
          <Markdown text={message.content} />
        ) : message.pending ? (
          <span className="typing">Thinking…</span>
        ) : null}
      </div>
      {message.products && message.products.length > 0 && <ProductCards products={message.products} />}
    </li>
  );
}

const SUGGESTIONS = [
  'What is on sale under $30?',
  'Which categories do you have?',
  'What is your return policy?',
];

/** The chat itself: used by the Assistant page and the floating widget. */
export default function Chat({
  compact = false,
  focusOnOpen = false,
}: {
  compact?: boolean;
  focusOnOpen?: boolean;
}) {
  const chat = useAssistant();
  const [text, setText] = useState('');
  const notify = useNotify();
  const logRef = useRef<HTMLOListElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const inputId = useId();
  const counterId = useId();
  const { limit } = chat;
  const offlineNow = chat.unreachable || chat.messages.at(-1)?.offline === true;
  // Without a chat yet, sending starts one; it waits only while the first one is being opened.
  const connecting = chat.remaining === null && !chat.unreachable;

  useEffect(() => {
    if (focusOnOpen) inputRef.current?.focus();
  }, [focusOnOpen]);

  // Follow the conversation as messages arrive and replies stream in.
  const lastLength = chat.messages.at(-1)?.content.length ?? 0;
  const count = chat.messages.length;
  useEffect(() => {
    const log = logRef.current;
    if (log && lastLength + count >= 0) log.scrollTop = log.scrollHeight;
  }, [lastLength, count]);

  const ask = (question: string) => {
    const message = question.trim();
    if (!message || chat.busy || limit) return;
    if (message.length > MAX_CHARS) {
      return notify.notify('error', `Keep your question under ${MAX_CHARS} characters.`);
    }
    setText('');
    chat.send(message).then(
      () => inputRef.current?.focus(),
      (error) => {
        setText(message);
        notify.failure(error, 'The assistant could not answer. Please try again.');
      },
    );
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    ask(text);
  };

  const onNewChat = () =>
    chat.startNew().then(
      () => {
        notify.success('New chat started.');
        inputRef.current?.focus();
      },
      (error) => notify.failure(error, 'Could not start a new chat.'),
    );

  const left =
    chat.remaining === null
      ? chat.unreachable
        ? 'Assistant unavailable'
        : 'Connecting…'
      : limit?.scope === 'daily'
        ? 'No prompts left today'
        : `${chat.remaining} of ${chat.promptLimit} ${chat.promptLimit === 1 ? 'prompt' : 'prompts'} left in this chat`;

  return (
    <div className={`chat${compact ? ' chat--compact' : ''}`}>
      <div className="chat__status">
        <span data-testid="prompts-left">{left}</span>
        {offlineNow ? (
          <span className="chat__engine chat__engine--offline">AI model unavailable · answering offline</span>
        ) : (
          chat.status && (
            <span className="chat__engine muted">
              {chat.status.engine === 'openai' ? `AI model: ${chat.status.model}` : 'Offline engine'}
            </span>
          )
        )}
      </div>
      <ol className="chat__log" ref={logRef} aria-label="Conversation">
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
                  disabled={chat.busy || !!limit || connecting}
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
      {/* Streaming text is not announced word by word: each finished reply is, once. */}
      <p className="visually-hidden" aria-live="polite" aria-atomic="true">
        {chat.announcement}
      </p>
      {limit && (
        <div className="callout chat__limit" role="alert">
          <p>
            <strong>
              {limit.scope === 'daily'
                ? 'You have used all of your assistant prompts for today.'
                : `You have used all ${chat.promptLimit} prompts in this chat.`}
            </strong>
            {limit.detail && <span className="chat__limit-detail"> {limit.detail}.</span>}
          </p>
          {limit.scope === 'session' && (
            <button type="button" className="btn btn--primary btn--small" onClick={onNewChat}>
              Start a new chat
            </button>
          )}
        </div>
      )}
      <form className="chat__form" onSubmit={onSubmit}>
        <label htmlFor={inputId} className="visually-hidden">
          Ask the shopping assistant
        </label>
        <textarea
          id={inputId}
          ref={inputRef}
          rows={1}
          value={text}
          maxLength={MAX_CHARS}
          autoComplete="off"
          placeholder={limit ? 'Prompt limit reached' : 'Ask a question…'}
          aria-describedby={text.length > MAX_CHARS - 100 ? counterId : undefined}
          disabled={!!limit}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            // Enter sends, Shift+Enter starts a new line.
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              ask(text);
            }
          }}
        />
        <button
          type="submit"
          className="btn btn--primary"
          disabled={chat.busy || !!limit || !text.trim() || connecting}
        >
          {chat.busy ? 'Sending…' : 'Send'}
        </button>
      </form>
      {text.length > MAX_CHARS - 100 && (
        <p id={counterId} className="chat__counter muted">
          {MAX_CHARS - text.length} characters left
        </p>
      )}
    </div>
  );
}
