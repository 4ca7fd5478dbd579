import { useState } from 'react';
import { Link } from 'react-router';
import { useFavorites } from '../api/hooks.ts';
import { ProductList, type ViewMode, ViewSwitch } from '../components/ProductViews.tsx';
import { RequireUser } from '../components/RequireUser.tsx';
import { usePageTitle } from './usePageTitle.ts';

function FavoritesList() {
  const { data, isPending, error } = useFavorites();
  const [view, setView] = useState<ViewMode>('table');
  // The favorites endpoint lists favorites only, so every product in it is a favorite.
  const products = data?.map((p) => ({ ...p, isFavorite: true }));
  return (
    <div>
      <div className="page-head">
        <h1>Favorites</h1>
        <ViewSwitch view={view} onChange={setView} />
      </div>
      {isPending ? (
        <p className="loading">Loading favorites…</p>
      ) : error ? (
        <p className="empty" role="alert">
          Could not load favorites: {error.message}
        </p>
      ) : products?.length ? (
        <ProductList products={products} view={view} caption="Favorite products" />
      ) : (
        <div className="empty">
          <p>
            <strong>No favorites yet.</strong>
          </p>
          <p>
            Tap the heart on any product in the <Link to="/">shop</Link> to keep it here.
          </p>
        </div>
      )}
    </div>
  );
}

export function Favorites() {
  usePageTitle('Favorites');
  return (
    <RequireUser>
      <FavoritesList />
    </RequireUser>
  );
}
