import { Link } from 'react-router';
import { usePageTitle } from './usePageTitle.ts';

export function NotFound() {
  usePageTitle('Page not found');
  return (
    <div className="empty">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">Go to the shop</Link>.
      </p>
    </div>
  );
}
