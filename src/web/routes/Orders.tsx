import { type FormEvent, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../api/client.ts';
import {
  checkoutUnconfirmed,
  useCheckout,
  useDeleteCart,
  useOrders,
  useRemoveLine,
  useSetQuantity,
} from '../api/hooks.ts';
import type { Order, OrderLine, StockShortage } from '../api/types.ts';
import { useNotify } from '../components/Notifications.tsx';
import { stockProblemMessage } from '../components/ProductActions.tsx';
import { RequireUser } from '../components/RequireUser.tsx';
import { ProductImage } from '../components/ProductViews.tsx';
import { formatDate, formatPrice, plural } from '../format.ts';
import { usePageTitle } from './usePageTitle.ts';

function QuantityEditor({ line }: { line: OrderLine }) {
  const [value, setValue] = useState(String(line.quantity));
  const setQuantity = useSetQuantity();
  const notify = useNotify();
  useEffect(() => setValue(String(line.quantity)), [line.quantity]);

  const commit = () => {
    const quantity = Number(value);
    if (quantity === line.quantity) return;
    if (!Number.isInteger(quantity) || quantity < 0) {
      setValue(String(line.quantity));
      return notify.notify('error', 'Quantity must be a whole number (0 removes the item).');
    }
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
    <>
      <label className="visually-hidden" htmlFor={`line-qty-${line.productId}`}>
        Quantity of {line.name}
      </label>
      <input
        id={`line-qty-${line.productId}`}
        className="qty-input"
        type="number"
        min={0}
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
    </>
  );
}

function RemoveLine({ line }: { line: OrderLine }) {
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
              r?.order
                ? `Removed ${line.name} from your order.`
                : `Removed ${line.name}; your order is now empty.`,
            ),
          onError: (error) => notify.failure(error, `Could not remove ${line.name}.`),
        })
      }
    >
      Remove
    </button>
  );
}

function CurrentOrder({ order }: { order: Order }) {
  const [address, setAddress] = useState(order.shippingAddress ?? '');
  const [addressError, setAddressError] = useState('');
  const [shortages, setShortages] = useState<string[]>([]);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const checkout = useCheckout();
  const deleteCart = useDeleteCart();
  const notify = useNotify();
  const items = order.lines.reduce((sum, l) => sum + l.quantity, 0);

  const onPurchase = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = address.trim();
    if (!trimmed) return setAddressError('Enter the shipping address for this order.');
    if (trimmed.length > 300) return setAddressError('Keep the address under 300 characters.');
    setAddressError('');
    setShortages([]);
    checkout.mutate(
      { orderId: order.id, shippingAddress: trimmed },
      {
        onSuccess: (closed) =>
          notify.success(`Thank you! Order #${closed.id} is placed: ${formatPrice(closed.totalCents)}.`),
        onError: (error) => {
          if (isApiError(error, 'insufficient_stock')) {
            const list = (error.problem.items ?? []) as StockShortage[];
            const names = new Map(order.lines.map((l) => [l.productId, l.name]));
            const problems = list.map(
              (s) =>
                `${names.get(s.productId) ?? `Product ${s.productId}`}: you asked for ${s.requested}, ${s.available === 0 ? 'none is' : `only ${s.available}`} left`,
            );
            setShortages(problems);
            notify.notify('error', `Not enough stock. ${problems.join('; ')}.`);
          } else if (isApiError(error, 'validation_failed')) {
            setAddressError(error.fieldErrors().shippingAddress ?? error.message);
            notify.failure(error);
          } else if (isApiError(error, 'no_open_order')) {
            notify.notify(
              'error',
              'This order is no longer open: it was placed or deleted elsewhere. See your orders below.',
            );
          } else if (checkoutUnconfirmed(error)) {
            // The same Idempotency-Key goes with the next press: a purchase that did go through is
            // answered with its order, not repeated.
            const why = !isApiError(error)
              ? 'The store did not answer.'
              : error.code === 'timeout'
                ? 'The store did not answer in time.'
                : error.status === 0
                  ? 'The connection to the store failed.'
                  : error.status >= 500
                    ? 'The store had a problem.'
                    : error.message;
            notify.notify(
              'error',
              `Your purchase could not be confirmed. ${why} Press Purchase again: the order will not be placed twice.`,
            );
          } else notify.failure(error, 'The purchase did not go through.');
        },
      },
    );
  };

  const onDelete = () =>
    deleteCart.mutate(undefined, {
      onSuccess: () => notify.success('Your in-progress order was deleted.'),
      onError: (error) => notify.failure(error, 'Could not delete the order.'),
      onSettled: () => setConfirmDelete(false),
    });

  return (
    <section className="order order--temp" aria-labelledby="current-order-title" data-testid="temp-order">
      <header className="order__head">
        <h2 id="current-order-title">
          Current order <span className="pill pill--progress">In progress</span>
        </h2>
        <span className="muted">{plural(items, 'item')}</span>
      </header>
      <div className="table-wrap">
        <table className="data-table order-lines">
          <caption className="visually-hidden">Items in your current order</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" className="num">
                Price
              </th>
              <th scope="col">Quantity</th>
              <th scope="col" className="num">
                Total
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((line) => (
              <tr key={line.productId} data-testid="order-line">
                <th scope="row">
                  <div className="cell-name">
                    <ProductImage product={line} size="thumb" />
                    <span>
                      <Link to={`/products/${line.productId}`}>{line.name}</Link>
                      {line.quantity > line.stock && (
                        <span className="stock stock--out block">Only {line.stock} in stock</span>
                      )}
                    </span>
                  </div>
                </th>
                <td className="num">{formatPrice(line.unitPriceCents)}</td>
                <td>
                  <QuantityEditor line={line} />
                </td>
                <td className="num">{formatPrice(line.lineTotalCents)}</td>
                <td>
                  <RemoveLine line={line} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                Total
              </th>
              <td className="num total" data-testid="order-total">
                {formatPrice(order.totalCents)}
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
      {shortages.length > 0 && (
        <div className="callout callout--error" role="alert">
          <strong>Some items are short on stock:</strong>
          <ul>
            {shortages.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
          Lower the quantities above, then purchase again.
        </div>
      )}
      <form className="checkout" onSubmit={onPurchase} noValidate>
        <div className="field">
          <label htmlFor="shipping-address">Shipping address</label>
          <textarea
            id="shipping-address"
            rows={3}
            maxLength={300}
            value={address}
            aria-invalid={addressError ? true : undefined}
            aria-describedby={addressError ? 'shipping-address-error' : undefined}
            onChange={(e) => setAddress(e.target.value)}
            placeholder="Street, city, postal code, country"
          />
          {addressError && (
            <p id="shipping-address-error" className="field-error">
              {addressError}
            </p>
          )}
        </div>
        <div className="checkout__buttons">
          <button type="submit" className="btn btn--primary btn--large" disabled={checkout.isPending}>
            {checkout.isPending ? 'Purchasing…' : `Purchase · ${formatPrice(order.totalCents)}`}
          </button>
          {confirmDelete ? (
            <fieldset className="confirm">
              <legend>Delete this whole order?</legend>
              <button
                type="button"
                className="btn btn--danger"
                onClick={onDelete}
                disabled={deleteCart.isPending}
              >
                Yes, delete order
              </button>
              <button type="button" className="btn btn--ghost" onClick={() => setConfirmDelete(false)}>
                Keep it
              </button>
            </fieldset>
          ) : (
            <button type="button" className="btn btn--ghost" onClick={() => setConfirmDelete(true)}>
              Delete order
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

function ClosedOrder({ order }: { order: Order }) {
  return (
    <section className="order" aria-labelledby={`order-${order.id}`} data-testid="closed-order">
      <header className="order__head">
        <h3 id={`order-${order.id}`}>
          Order #{order.id} <span className="pill">Completed</span>
        </h3>
        <span className="muted">{formatDate(order.closedAt ?? order.createdAt)}</span>
      </header>
      <ul className="closed-lines">
        {order.lines.map((line) => (
          <li key={line.productId}>
            <span>
              {line.quantity} × <Link to={`/products/${line.productId}`}>{line.name}</Link>
              <span className="muted"> at {formatPrice(line.unitPriceCents)}</span>
            </span>
            <span className="num">{formatPrice(line.lineTotalCents)}</span>
          </li>
        ))}
      </ul>
      <footer className="order__foot">
        <span>
          <span className="muted">Shipped to:</span> {order.shippingAddress}
        </span>
        <strong>Total {formatPrice(order.totalCents)}</strong>
      </footer>
    </section>
  );
}

function OrderHistory() {
  const { data: orders, isPending, error } = useOrders();
  if (isPending) return <p className="loading">Loading orders…</p>;
  if (error) {
    return (
      <p className="empty" role="alert">
        Could not load your orders: {error.message}
      </p>
    );
  }
  const current = orders.find((o) => o.status === 'TEMP');
  const closed = orders.filter((o) => o.status === 'CLOSED');
  return (
    <>
      {current ? (
        <CurrentOrder key={current.id} order={current} />
      ) : (
        <section className="order order--temp order--empty">
          <h2>No order in progress</h2>
          <p>
            Add products from the <Link to="/">shop</Link> to start a new order.
          </p>
        </section>
      )}
      <h2 className="section-title">Past orders</h2>
      {closed.length ? (
        <div className="order-list">
          {closed.map((o) => (
            <ClosedOrder key={o.id} order={o} />
          ))}
        </div>
      ) : (
        <p className="muted">You have no completed orders yet.</p>
      )}
    </>
  );
}

export function Orders() {
  usePageTitle('Orders');
  return (
    <RequireUser>
      <h1>Orders</h1>
      <OrderHistory />
    </RequireUser>
  );
}
