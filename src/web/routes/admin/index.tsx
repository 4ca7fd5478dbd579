import type React from 'react';
import { Link, NavLink, Route, Routes, useNavigate } from 'react-router';
import { useLogout, useMe, useSessionChange } from '../../api/hooks.ts';
import { useNotify } from '../../components/Notifications.tsx';
import { RequireUser } from '../../components/RequireUser.tsx';
import { usePageTitle } from '../usePageTitle.ts';
import { CustomerPage } from './CustomerPage.tsx';
import { Customers } from './Customers.tsx';
import { Models } from './Models.tsx';
import { OrderPage } from './OrderPage.tsx';
import { Orders } from './orders/OrdersPage.tsx';
import { Outbox } from './Outbox.tsx';
import { Overview } from './Overview.tsx';
import { Products } from './products/ProductsPage.tsx';
import '../../components/admin/admin.css';

// The admin console's entry, loaded on demand by the router: its own chunk, charts included.
// It has its own frame (no shopper header, cart or assistant) and the same notifications.

/** The console's header: where you are, the way back to the shop, who is signed in. */
function ConsoleFrame({ children }: { children: React.ReactNode }) {
  const { data: me } = useMe();
  const logout = useLogout();
  const signedOut = useSessionChange();
  const notify = useNotify();
  const navigate = useNavigate();
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
    <div className="app console">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="console-header">
        <Link to="/admin" className="brand">
          <span className="brand__mark" aria-hidden="true">
            ◆
          </span>
          Cartwise console
        </Link>
        <div className="console-header__end">
          <Link to="/">Back to the shop</Link>
          {me && (
            <>
              <span className="hello">{me.username}</span>
              <button type="button" className="btn btn--ghost" onClick={onLogout} disabled={logout.isPending}>
                Logout
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" className="site-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

function AdminConsole() {
  return (
    <div className="admin">
      <nav aria-label="Admin" className="admin-nav">
        <NavLink to="/admin" end>
          Overview
        </NavLink>
        <NavLink to="/admin/products">Products</NavLink>
        <NavLink to="/admin/orders">Orders</NavLink>
        <NavLink to="/admin/customers">Customers</NavLink>
        <NavLink to="/admin/models">Models</NavLink>
        <NavLink to="/admin/outbox">Outbox</NavLink>
      </nav>
      <Routes>
        <Route index element={<Overview />} />
        <Route path="products" element={<Products />} />
        <Route path="orders" element={<Orders />} />
        <Route path="orders/:id" element={<OrderPage />} />
        <Route path="customers" element={<Customers />} />
        <Route path="customers/:userId" element={<CustomerPage />} />
        <Route path="models" element={<Models />} />
        <Route path="outbox" element={<Outbox />} />
        <Route
          path="*"
          element={
            <div className="empty">
              <h1>Not found</h1>
              <p>
                <Link to="/admin">Back to the overview</Link>
              </p>
            </div>
          }
        />
      </Routes>
    </div>
  );
}

function AdminOnly() {
  const { data: me } = useMe();
  // Customers get no admin content and make no admin API calls.
  if (me?.role !== 'admin') {
    return (
      <div className="empty" data-testid="admin-denied">
        <h1>Admins only</h1>
        <p>
          This area is for store administrators. <Link to="/">Back to the shop</Link>.
        </p>
      </div>
    );
  }
  return <AdminConsole />;
}

export function Component() {
  usePageTitle('Admin');
  return (
    <ConsoleFrame>
      <RequireUser>
        <AdminOnly />
      </RequireUser>
    </ConsoleFrame>
  );
}
