import { Link } from 'react-router';
import { useMe } from '../../api/hooks.ts';
import { RequireUser } from '../../components/RequireUser.tsx';
import { usePageTitle } from '../usePageTitle.ts';

// The admin console's entry, loaded on demand by the router (its own chunk, with its charts).
// It renders inside the storefront Layout and uses the same notifications (useNotify).
function AdminHome() {
  const { data: me } = useMe();
  if (me?.role !== 'admin') {
    return (
      <div className="empty">
        <h1>Admins only</h1>
        <p>
          This area is for store administrators. <Link to="/">Back to the shop</Link>.
        </p>
      </div>
    );
  }
  return (
    <div>
      <h1>Admin console</h1>
      <p className="muted">Products, customers and model monitoring live here.</p>
    </div>
  );
}

export function Component() {
  usePageTitle('Admin');
  return (
    <RequireUser>
      <AdminHome />
    </RequireUser>
  );
}
