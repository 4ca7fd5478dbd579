import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { checkoutUnconfirmed, useCheckout, useMe } from '../../api/hooks.ts';
import type { StockShortage } from '../../api/types.ts';
import { type CartView, useCart } from '../../cart/hooks.ts';
import { Field, TextAreaField } from '../../components/Field.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { RequireUser } from '../../components/RequireUser.tsx';
import { formatPrice, plural } from '../../format.ts';
import { usePageTitle } from '../usePageTitle.ts';
import { type Address, addressFromProfile, checkAddress, formatAddress } from './address.ts';
import { CartLines } from './CartLines.tsx';

/** Why a purchase could not be confirmed, in words (the same key retries it safely). */
function unconfirmedReason(error: unknown): string {
  if (!isApiError(error)) return 'The store did not answer.';
  if (error.code === 'timeout') return 'The store did not answer in time.';
  if (error.status === 0) return 'The connection to the store failed.';
  return error.status >= 500 ? 'The store had a problem.' : error.message;
}

function CheckoutForm({ cart, initial }: { cart: CartView & { orderId: number }; initial: Address }) {
  const [address, setAddress] = useState<Address>(initial);
  const [errors, setErrors] = useState<Partial<Record<keyof Address, string>>>({});
  const [shortages, setShortages] = useState<string[]>([]);
  const checkout = useCheckout();
  const notify = useNotify();
  const navigate = useNavigate();
  const set = (name: keyof Address) => (e: { target: { value: string } }) =>
    setAddress((a) => ({ ...a, [name]: e.target.value }));

  const onPurchase = (event: FormEvent) => {
    event.preventDefault();
    const problems = checkAddress(address);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return notify.notify('error', 'Check the shipping address.');
    setShortages([]);
    checkout.mutate(
      { orderId: cart.orderId, shippingAddress: formatAddress(address) },
      {
        onSuccess: (closed) => {
          const checkoutUrl = closed.payment?.checkoutUrl;
          if (checkoutUrl) {
            // Card payment: Stripe's page takes the card, then sends the shopper back to /orders.
            notify.success(`Order #${closed.number} is placed. Taking you to the payment page…`);
            window.location.assign(checkoutUrl);
            return;
          }
          notify.success(`Thank you! Order #${closed.number} is placed: ${formatPrice(closed.totalCents)}.`);
          navigate('/orders');
        },
        onError: (error) => {
          if (isApiError(error, 'insufficient_stock')) {
            const list = (error.problem.items ?? []) as StockShortage[];
            const names = new Map(cart.lines.map((l) => [l.productId, l.name]));
            const found = list.map(
              (s) =>
                `${names.get(s.productId) ?? `Product ${s.productId}`}: you asked for ${s.requested}, ${s.available === 0 ? 'none is' : `only ${s.available}`} left`,
            );
            setShortages(found);
            notify.notify('error', `Not enough stock. ${found.join('; ')}.`);
          } else if (isApiError(error, 'validation_failed')) {
            setErrors({ street: error.fieldErrors().shippingAddress ?? error.message });
            notify.failure(error);
          } else if (isApiError(error, 'no_open_order')) {
            notify.notify('error', 'This order is no longer open: it was placed or deleted elsewhere.');
          } else if (checkoutUnconfirmed(error)) {
            notify.notify(
              'error',
              `Your purchase could not be confirmed. ${unconfirmedReason(error)} Press Purchase again: the order will not be placed twice.`,
            );
          } else notify.failure(error, 'The purchase did not go through.');
        },
      },
    );
  };

  return (
    <form className="checkout" onSubmit={onPurchase} noValidate aria-labelledby="shipping-title">
      <section className="panel">
        <h2 id="shipping-title">Shipping address</h2>
        <div className="form-grid">
          <Field
            name="ship-name"
            label="Full name"
            value={address.name}
            onChange={set('name')}
            error={errors.name}
            autoComplete="name"
          />
          <TextAreaField
            name="ship-street"
            label="Street and number (more lines allowed)"
            rows={2}
            value={address.street}
            onChange={set('street')}
            autoComplete="street-address"
            error={errors.street}
          />
          <Field
            name="ship-postal"
            label="Postal code"
            value={address.postalCode}
            onChange={set('postalCode')}
            error={errors.postalCode}
            autoComplete="postal-code"
          />
          <Field
            name="ship-city"
            label="City"
            value={address.city}
            onChange={set('city')}
            error={errors.city}
            autoComplete="address-level2"
          />
          <Field
            name="ship-country"
            label="Country"
            value={address.country}
            onChange={set('country')}
            error={errors.country}
            autoComplete="country-name"
          />
        </div>
      </section>
      <section className="panel" aria-labelledby="summary-title" data-testid="order-summary">
        <h2 id="summary-title">Order summary</h2>
        <CartLines lines={cart.lines} editable={false} />
        <p className="cart-total">
          {plural(cart.count, 'item')} · Total{' '}
          <strong data-testid="order-total">{formatPrice(cart.totalCents)}</strong>
        </p>
        <p className="muted">
          Ships to: <span className="address">{formatAddress(address) || '—'}</span>
        </p>
        {shortages.length > 0 && (
          <div className="callout callout--error" role="alert">
            <strong>Some items are short on stock:</strong>
            <ul>
              {shortages.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
            <Link to="/cart">Lower the quantities in your cart</Link>, then purchase again.
          </div>
        )}
        <div className="checkout__buttons">
          <button type="submit" className="btn btn--primary btn--large" disabled={checkout.isPending}>
            {checkout.isPending ? 'Purchasing…' : `Purchase · ${formatPrice(cart.totalCents)}`}
          </button>
          <Link to="/cart">Back to the cart</Link>
        </div>
      </section>
    </form>
  );
}

function CheckoutPage() {
  const { data: me } = useMe();
  const { cart, error } = useCart();
  if (error)
    return (
      <p className="empty" role="alert">
        Could not load your cart: {error.message}
      </p>
    );
  if (!cart || !me) return <p className="loading">Loading your cart…</p>;
  if (cart.orderId === null || cart.lines.length === 0) {
    return (
      <section className="order order--empty">
        <h2>Nothing to check out</h2>
        <p>
          Your cart is empty. Add products from the <Link to="/">shop</Link>.
        </p>
      </section>
    );
  }
  return <CheckoutForm cart={{ ...cart, orderId: cart.orderId }} initial={addressFromProfile(me)} />;
}

export function Checkout() {
  usePageTitle('Checkout');
  return (
    <RequireUser>
      <h1>Checkout</h1>
      <CheckoutPage />
    </RequireUser>
  );
}
