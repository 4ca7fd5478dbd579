import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { isApiError } from '../api/client.ts';
import { useMe, useToggleFavorite } from '../api/hooks.ts';
import type { Product } from '../api/types.ts';
import { completeAfterSignIn } from '../cart/after-sign-in.ts';
import { useAddToCart } from '../cart/hooks.ts';
import { useNotify } from './Notifications.tsx';

export function stockProblemMessage(name: string, available: number) {
  return available <= 0
    ? `${name} is out of stock.`
    : `Not enough stock for ${name}: only ${available} available.`;
}

export function AddToCart({
  product,
  compact = false,
}: {
  product: Pick<Product, 'id' | 'name' | 'stock'>;
  compact?: boolean;
}) {
  const [quantity, setQuantity] = useState(1);
  const add = useAddToCart();
  const notify = useNotify();
  const soldOut = product.stock <= 0;
  const inputId = `qty-${product.id}${compact ? '-c' : ''}`;

  const onAdd = () => {
    if (soldOut) return notify.notify('error', stockProblemMessage(product.name, 0));
    if (!Number.isInteger(quantity) || quantity < 1) {
      return notify.notify('error', 'Quantity must be a whole number of at least 1.');
    }
    if (quantity > product.stock)
      return notify.notify('error', stockProblemMessage(product.name, product.stock));
    add.mutate(
      { productId: product.id, quantity },
      {
        onSuccess: () => notify.success(`Added ${quantity} × ${product.name} to your cart.`),
        onError: (error) => {
          if (isApiError(error, 'insufficient_stock')) {
            const available = Number(error.problem.available ?? 0);
            notify.notify('error', stockProblemMessage(product.name, available));
          } else notify.failure(error, `Could not add ${product.name} to your cart.`);
        },
      },
    );
  };

  return (
    <div className={`add-to-cart${compact ? ' add-to-cart--compact' : ''}`}>
      <label className="visually-hidden" htmlFor={inputId}>
        Quantity of {product.name}
      </label>
      <input
        id={inputId}
        className="qty-input"
        type="number"
        inputMode="numeric"
        min={1}
        max={Math.max(1, product.stock)}
        value={Number.isNaN(quantity) ? '' : quantity}
        onChange={(e) => setQuantity(e.target.valueAsNumber)}
        disabled={soldOut}
      />
      <button
        type="button"
        className="btn btn--primary"
        aria-disabled={soldOut || add.isPending}
        aria-label={`Add ${product.name} to cart`}
        onClick={add.isPending ? undefined : onAdd}
      >
        {soldOut ? 'Sold out' : add.isPending ? 'Adding…' : 'Add'}
      </button>
    </div>
  );
}

export function FavoriteButton({ product }: { product: Product }) {
  const toggle = useToggleFavorite();
  const notify = useNotify();
  const { data: me } = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const favorite = product.isFavorite === true;

  const onToggle = () => {
    if (!me) {
      // Saved once they have signed in or registered (after-sign-in.ts), then back here.
      completeAfterSignIn({ kind: 'favorite', productId: product.id, name: product.name });
      notify.notify('info', `Log in or register to save ${product.name} to your favorites.`);
      navigate('/login', { state: { from: location } });
      return;
    }
    toggle.mutate(
      { productId: product.id, favorite: !favorite },
      {
        onSuccess: () =>
          notify.success(
            favorite ? `Removed ${product.name} from favorites.` : `Saved ${product.name} to favorites.`,
          ),
        onError: (error) => notify.failure(error, `Could not update favorites for ${product.name}.`),
      },
    );
  };

  return (
    <button
      type="button"
      className={`btn btn--icon fav${favorite ? ' fav--on' : ''}`}
      aria-pressed={favorite}
      aria-label={`Favorite ${product.name}`}
      title={favorite ? 'Remove from favorites' : 'Save to favorites'}
      onClick={toggle.isPending ? undefined : onToggle}
    >
      <span aria-hidden="true">{favorite ? '♥' : '♡'}</span>
    </button>
  );
}
