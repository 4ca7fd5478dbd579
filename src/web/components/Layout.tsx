import { type FormEvent, Suspense, useEffect, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { keys, useLogout, useMe, useSessionChange } from '../api/hooks.ts';
import { AssistantWidget } from '../assistant/AssistantWidget.tsx';
import { useAfterSignIn } from '../cart/after-sign-in.ts';
import { useCart } from '../cart/hooks.ts';
import { useNotify } from './Notifications.tsx';

export const STORE_NAME = 'Cartwise';

function SearchBox() {
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const current = location.pathname === '/' ? (params.get('q') ?? '') : '';
  const [value, setValue] = useState(current);
  useEffect(() => setValue(current), [current]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams(location.pathname === '/' ? params : undefined);
    const q = value.trim();
    if (q) next.set('q', q);
    else next.delete('q');
    next.delete('page');
    navigate({ pathname: '/', search: next.toString() });
  };

  return (
    <search className="search">
      <form onSubmit={onSubmit}>
        <label htmlFor="site-search" className="visually-hidden">
          Search products (separate several terms with commas)
        </label>
        <input
          id="site-search"
          type="search"
          placeholder="Search, e.g. lamp, mug"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="btn btn--primary">
          Search
        </button>
      </form>
    </search>
  );
}

function Account() {
  const { data: me } = useMe();
  const logout = useLogout();
  const signedOut = useSessionChange();
  const notify = useNotify();
  const navigate = useNavigate();
  const location = useLocation();

  if (!me) {
    return (
      <div className="auth-links">
        <Link className="btn btn--ghost" to="/login" state={{ from: location }}>
          Login
        </Link>
        <Link className="btn btn--primary" to="/register" state={{ from: location }}>
          Register
        </Link>
      </div>
    );
  }
  const onLogout = () =>
    logout.mutate(undefined, {
      onSuccess: () => {
        navigate('/', { flushSync: true });
        signedOut(null);
        notify.success('You are logged out.');
      },
      onError: (error) => notify.failure(error, 'Could not log out.'),
    });
  return (
    <div className="auth-links">
      <span className="hello">
        Hi, <strong>{me.firstName || me.username}</strong>
      </span>
      <button type="button" className="btn btn--ghost" onClick={onLogout} disabled={logout.isPending}>
        Logout
      </button>
    </div>
  );
}

/** The cart in the header: a live count of units, guest or signed in. */
function CartLink() {
  const { cart } = useCart();
  const count = cart?.count ?? 0;
  return (
    <NavLink to="/cart" className="cart-link">
      <span aria-hidden="true">🛒</span> Cart
      {count > 0 && (
        <span className="badge" data-testid="cart-count">
          <span className="visually-hidden">: </span>
          {count}
          <span className="visually-hidden"> {count === 1 ? 'item' : 'items'}</span>
        </span>
      )}
    </NavLink>
  );
}

/** Every navigation refetches the cart: another tab or the assistant may have changed it. */
function useCartFreshOnNavigation() {
  const client = useQueryClient();
  const { pathname } = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each navigation on purpose
  useEffect(() => {
    client.invalidateQueries({ queryKey: keys.cart });
  }, [pathname, client]);
}

export function Layout() {
  const { data: me } = useMe();
  useAfterSignIn();
  useCartFreshOnNavigation();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="brand">
            <span className="brand__mark" aria-hidden="true">
              ◆
            </span>
            {STORE_NAME}
          </Link>
          <SearchBox />
          <nav aria-label="Main" className="main-nav">
            <NavLink to="/" end>
              Shop
            </NavLink>
            <NavLink to="/favorites">Favorites</NavLink>
            <NavLink to="/orders">Orders</NavLink>
            <NavLink to="/assistant">Assistant</NavLink>
            <NavLink to="/account">Account</NavLink>
            {me?.role === 'admin' && <NavLink to="/admin">Admin</NavLink>}
          </nav>
          <CartLink />
          <Account />
        </div>
      </header>
      <main id="main" className="site-main" tabIndex={-1}>
        <Suspense fallback={<p className="loading">Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
      <AssistantWidget />
      <footer className="site-footer">
        <p>
          {STORE_NAME} · prices in USD · <a href="/docs">API docs</a>
        </p>
      </footer>
    </div>
  );
}
