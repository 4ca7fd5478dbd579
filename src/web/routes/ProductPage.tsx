import { Link, useParams } from 'react-router';
import { useProduct } from '../api/hooks.ts';
import { AddToCart, FavoriteButton } from '../components/ProductActions.tsx';
import { ProductImage } from '../components/ProductViews.tsx';
import { formatPrice } from '../format.ts';
import { usePageTitle } from './usePageTitle.ts';

export function ProductPage() {
  const id = Number(useParams().id);
  const { data: product, isPending, error } = useProduct(id);
  usePageTitle(product?.name ?? 'Product');

  if (!Number.isInteger(id) || id <= 0 || error) {
    return (
      <div className="empty">
        <h1>Product not found</h1>
        <p>{error?.message ?? 'That product does not exist.'}</p>
        <Link to="/">Back to the shop</Link>
      </div>
    );
  }
  if (isPending) return <p className="loading">Loading product…</p>;

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
          <p className={product.stock > 0 ? 'stock' : 'stock stock--out'}>
            {product.stock > 0 ? `${product.stock} in stock` : 'Out of stock (0 left)'}
          </p>
          <p className="product__description">{product.description}</p>
          <div className="product__actions">
            <AddToCart product={product} />
            <FavoriteButton product={product} />
          </div>
        </div>
      </div>
    </article>
  );
}
