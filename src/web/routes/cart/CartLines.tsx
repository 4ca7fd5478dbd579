import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { type CartLine, useRemoveLine, useSetQuantity } from '../../cart/hooks.ts';
import { useNotify } from '../../components/Notifications.tsx';
import { stockProblemMessage } from '../../components/ProductActions.tsx';
import { ProductImage } from '../../components/ProductViews.tsx';
import { formatPrice } from '../../format.ts';

// The cart's lines: name, quantity, total and remove, stacked on narrow screens (no table that
// would scroll sideways).

function QuantityEditor({ line }: { line: CartLine }) {
  const [value, setValue] = useState(String(line.quantity));
  const setQuantity = useSetQuantity();
  const notify = useNotify();
  // The quantity last sent: Enter commits, and the input it disables then blurs, which would send
  // the same value again before the cart's new quantity arrives.
  const sent = useRef<number | null>(null);
  useEffect(() => {
    sent.current = null;
    setValue(String(line.quantity));
  }, [line.quantity]);

  const commit = () => {
    const quantity = Number(value);
    if (quantity === line.quantity || quantity === sent.current) return;
    if (!Number.isInteger(quantity) || quantity < 0) {
      setValue(String(line.quantity));
      return notify.notify('error', 'Quantity must be a whole number (0 removes the item).');
    }
    sent.current = quantity;
    setQuantity.mutate(
      { productId: line.productId, quantity },
      {
        onSuccess: () =>
          notify.success(
            quantity === 0
              ? `Removed ${line.name} from your order.`
              : `${line.name}: quantity set to ${quantity}.`,
          ),
        onError: (error) => {
          sent.current = null;
          setValue(String(line.quantity));
          if (isApiError(error, 'insufficient_stock')) {
            notify.notify(
              'error',
              stockProblemMessage(line.name, Number(error.problem.available ?? line.stock)),
            );
          } else notify.failure(error, `Could not change the quantity of ${line.name}.`);
        },
      },
    );
  };

  return (
    <span className="cart-line__qty">
      <label htmlFor={`line-qty-${line.productId}`}>
        Quantity<span className="visually-hidden"> of {line.name}</span>
      </label>
      <input
        id={`line-qty-${line.productId}`}
        className="qty-input"
        type="number"
        min={0}
        max={line.stock}
        inputMode="numeric"
        value={value}
        disabled={setQuantity.isPending}
        onChange={(e) => setValue(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
        }}
      />
    </span>
  );
}

function RemoveLine({ line }: { line: CartLine }) {
  const remove = useRemoveLine();
  const notify = useNotify();
  return (
    <button
      type="button"
      className="btn btn--ghost btn--small"
      disabled={remove.isPending}
      aria-label={`Remove ${line.name}`}
      onClick={() =>
        remove.mutate(line.productId, {
          onSuccess: (r) =>
            notify.success(
              r && !r.order
                ? `Removed ${line.name}; your order is now empty.`
                : `Removed ${line.name} from your order.`,
            ),
          onError: (error) => notify.failure(error, `Could not remove ${line.name}.`),
        })
      }
    >
      Remove
    </button>
  );
}

export function CartLines({ lines, editable }: { lines: CartLine[]; editable: boolean }) {
  return (
    <ul className="cart-lines" aria-label="Items in your cart">
      {lines.map((line) => (
        <li key={line.productId} className="cart-line" data-testid="order-line">
          <ProductImage product={line} size="thumb" />
          <span className="cart-line__name">
            <Link to={`/products/${line.productId}`}>{line.name}</Link>
            <span className="muted"> · {formatPrice(line.unitPriceCents)} each</span>
            {line.quantity > line.stock ? (
              <span className="stock stock--out block">Only {line.stock} in stock</span>
            ) : (
              line.stock <= 5 && <span className="stock stock--low block">{line.stock} in stock</span>
            )}
          </span>
          {editable ? (
            <QuantityEditor line={line} />
          ) : (
            <span className="cart-line__qty">× {line.quantity}</span>
          )}
          <strong className="cart-line__total num">{formatPrice(line.lineTotalCents)}</strong>
          {editable && <RemoveLine line={line} />}
        </li>
      ))}
    </ul>
  );
}
