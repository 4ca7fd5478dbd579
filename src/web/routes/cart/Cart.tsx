import { useState } from 'react';
import { Link } from 'react-router';
import { useCart, useDeleteCart } from '../../cart/hooks.ts';
import { clearGuestCart } from '../../cart/guest-cart.ts';
import { useNotify } from '../../components/Notifications.tsx';
import { formatPrice, plural } from '../../format.ts';
import { usePageTitle } from '../usePageTitle.ts';
import { CartLines } from './CartLines.tsx';

/** The cart: lines, total and the way to checkout, for guests (kept in the browser) and shoppers. */
export function Cart() {
  usePageTitle('Cart');
  const { cart, error } = useCart();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const deleteCart = useDeleteCart();
  const notify = useNotify();

  if (error) {
    return (
      <p className="empty" role="alert">
        Could not load your cart: {error.message}
      </p>
    );
  }
  if (!cart) return <p className="loading">Loading your cart…</p>;
  if (cart.lines.length === 0) {
    return (
      <section className="order order--empty">
        <h1>Your cart is empty</h1>
        <p>
          Add products from the <Link to="/">shop</Link>; they wait here until you check out.
        </p>
      </section>
    );
  }
  const onDelete = () => {
    if (cart.guest) {
      clearGuestCart();
      setConfirmDelete(false);
      return notify.success('Your cart is empty now.');
    }
    deleteCart.mutate(undefined, {
      onSuccess: () => notify.success('Your in-progress order was deleted.'),
      onError: (e) => notify.failure(e, 'Could not delete the order.'),
      onSettled: () => setConfirmDelete(false),
    });
  };

  return (
    <section className="order order--temp" aria-labelledby="cart-title" data-testid="temp-order">
      <header className="order__head">
        <h1 id="cart-title">Cart</h1>
        <span className="muted">{plural(cart.count, 'item')}</span>
      </header>
      <CartLines lines={cart.lines} editable />
      <p className="cart-total">
        Total <strong data-testid="order-total">{formatPrice(cart.totalCents)}</strong>
      </p>
      {cart.guest && (
        <p className="muted">
          Your cart is kept in this browser.{' '}
          <Link to="/login" state={{ from: { pathname: '/checkout' } }}>
            Log in
          </Link>{' '}
          or{' '}
          <Link to="/register" state={{ from: { pathname: '/checkout' } }}>
            register
          </Link>{' '}
          to check out: it comes with you.
        </p>
      )}
      <div className="checkout__buttons">
        <Link className="btn btn--primary btn--large" to="/checkout">
          Checkout · {formatPrice(cart.totalCents)}
        </Link>
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
    </section>
  );
}
