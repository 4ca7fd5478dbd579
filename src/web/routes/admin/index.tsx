import { Link, NavLink, Route, Routes } from 'react-router';
import { useMe } from '../../api/hooks.ts';
import { RequireUser } from '../../components/RequireUser.tsx';
import { usePageTitle } from '../usePageTitle.ts';
import { CustomerPage } from './CustomerPage.tsx';
import { Customers } from './Customers.tsx';
import { Models } from './Models.tsx';
import { OrderPage } from './OrderPage.tsx';
import { Orders } from './Orders.tsx';
import { Overview } from './Overview.tsx';
import { Products } from './products/ProductsPage.tsx';
import '../../components/admin/admin.css';

// The admin console's entry, loaded on demand by the router: its own chunk, charts included.
// It renders inside the storefront Layout and uses the same notifications (useNotify).

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
      </nav>
      <Routes>
        <Route index element={<Overview />} />
        <Route path="products" element={<Products />} />
        <Route path="orders" element={<Orders />} />
        <Route path="orders/:id" element={<OrderPage />} />
        <Route path="customers" element={<Customers />} />
        <Route path="customers/:userId" element={<CustomerPage />} />
        <Route path="models" element={<Models />} />
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
    <RequireUser>
      <AdminOnly />
    </RequireUser>
  );
}
