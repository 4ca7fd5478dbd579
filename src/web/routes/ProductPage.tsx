import { Link, useParams } from 'react-router';
import { isApiError } from '../api/client.ts';
import { useProduct } from '../api/hooks.ts';
import { AddToCart, FavoriteButton } from '../components/ProductActions.tsx';
import { ProductImage, Stock } from '../components/ProductViews.tsx';
import { formatPrice } from '../format.ts';
import { usePageTitle } from './usePageTitle.ts';

export function ProductPage() {
  const id = Number(useParams().id);
  const { data: product, isPending, error } = useProduct(id);
  const gone = !Number.isInteger(id) || id <= 0 || (isApiError(error) && error.status === 404);
  usePageTitle(product?.name ?? (gone ? 'No longer available' : 'Product'));

  // Only an error without data replaces the page: a failed background refetch keeps the product
  // (and the quantity being typed) on screen.
  if (!product && (gone || error)) {
    return (
      <div className="empty" data-testid="product-gone">
        <h1>{gone ? 'This product is no longer available' : 'The product could not be loaded'}</h1>
        <p>
          {gone
            ? 'It has been taken out of the shop. Orders that include it keep it in your order history.'
            : error?.message}
        </p>
        <p>
          <Link to="/">Back to the shop</Link> · <Link to="/orders">Your orders</Link>
        </p>
      </div>
    );
  }
  if (isPending || !product) return <p className="loading">Loading product…</p>;

  return (
    <article className="product">
      <Link to="/" className="back">
        ← Back to the shop
      </Link>
      <div className="product__layout">
        <ProductImage product={product} size="hero" />
        <div className="product__info">
          <p className="card__category">{product.category.name}</p>
          <h1>{product.name}</h1>
          <p className="product__price">{formatPrice(product.priceCents)}</p>
          <p>
            <Stock stock={product.stock} />
          </p>
          <p className="product__description">{product.description}</p>
          <div className="product__actions">
            {/* Keyed by product: the typed quantity belongs to this product and survives re-renders. */}
            <AddToCart key={product.id} product={product} />
            <FavoriteButton product={product} />
          </div>
        </div>
      </div>
    </article>
  );
}
