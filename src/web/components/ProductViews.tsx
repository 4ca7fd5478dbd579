import { Link } from 'react-router';
import type { Product } from '../api/types.ts';
import { formatPrice } from '../format.ts';
import { AddToCart, FavoriteButton } from './ProductActions.tsx';

export type ViewMode = 'table' | 'grid';

export function ProductImage({
  product,
  size,
}: {
  product: Pick<Product, 'name' | 'imageUrl'>;
  size: 'thumb' | 'card' | 'hero';
}) {
  if (!product.imageUrl) {
    return (
      <div className={`img img--${size} img--empty`} aria-hidden="true">
        {product.name.slice(0, 1)}
      </div>
    );
  }
  return <img className={`img img--${size}`} src={product.imageUrl} alt="" loading="lazy" />;
}

/** At or below this many units a shopper is told how many are left. */
const FEW_LEFT = 5;

/** Stock as a shopper reads it: "Sold out", "Only 3 left", "In stock". */
export function stockWords(stock: number): string {
  if (stock <= 0) return 'Sold out';
  return stock <= FEW_LEFT ? `Only ${stock} left` : 'In stock';
}

export function Stock({ stock }: { stock: number }) {
  const tone = stock <= 0 ? ' stock--out' : stock <= FEW_LEFT ? ' stock--low' : '';
  return <span className={`stock${tone}`}>{stockWords(stock)}</span>;
}

/** The "data frame": one row per product with name, category, price and stock. */
export function ProductTable({ products, caption }: { products: Product[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Category</th>
            <th scope="col" className="num">
              Price
            </th>
            <th scope="col">Stock</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {products.map((p) => (
            <tr key={p.id} data-testid="product-row" className={p.stock <= 0 ? 'row--out' : undefined}>
              <th scope="row">
                <div className="cell-name">
                  <ProductImage product={p} size="thumb" />
                  <Link to={`/products/${p.id}`}>{p.name}</Link>
                </div>
              </th>
              <td>{p.category.name}</td>
              <td className="num">{formatPrice(p.priceCents)}</td>
              <td>
                <Stock stock={p.stock} />
              </td>
              <td>
                <div className="cell-actions">
                  <AddToCart product={p} compact />
                  <FavoriteButton product={p} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ProductGrid({ products }: { products: Product[] }) {
  return (
    <ul className="card-grid">
      {products.map((p) => (
        <li key={p.id} className={`card${p.stock <= 0 ? ' card--out' : ''}`} data-testid="product-card">
          <Link to={`/products/${p.id}`} className="card__media" tabIndex={-1} aria-hidden="true">
            <ProductImage product={p} size="card" />
          </Link>
          <div className="card__body">
            <p className="card__category">{p.category.name}</p>
            <h3 className="card__title">
              <Link to={`/products/${p.id}`}>{p.name}</Link>
            </h3>
            <p className="card__meta">
              <strong className="price">{formatPrice(p.priceCents)}</strong>
              <Stock stock={p.stock} />
            </p>
            <div className="card__actions">
              <AddToCart product={p} compact />
              <FavoriteButton product={p} />
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}

export function ViewSwitch({ view, onChange }: { view: ViewMode; onChange: (v: ViewMode) => void }) {
  return (
    <fieldset className="segmented">
      <legend className="visually-hidden">View</legend>
      {(['table', 'grid'] as const).map((v) => (
        <button key={v} type="button" aria-pressed={view === v} onClick={() => onChange(v)}>
          {v === 'table' ? 'Table' : 'Cards'}
        </button>
      ))}
    </fieldset>
  );
}

export function ProductList({
  products,
  view,
  caption,
}: {
  products: Product[];
  view: ViewMode;
  caption: string;
}) {
  return view === 'grid' ? (
    <ProductGrid products={products} />
  ) : (
    <ProductTable products={products} caption={caption} />
  );
}
