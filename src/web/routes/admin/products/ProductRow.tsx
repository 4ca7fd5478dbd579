import { useState } from 'react';
import type { AdminProduct } from '../../../../contract/catalog.ts';
import { formatDate, formatPrice } from '../../../format.ts';
import { LOW_STOCK } from './query.ts';
import { RemovalActions } from './RemovalActions.tsx';
import { StockForm, StockHistory } from './StockPanel.tsx';

/** One product of the console's table, with its actions and the stock panels it opens below. */
export function ProductRow({ product, onEdit }: { product: AdminProduct; onEdit: () => void }) {
  const [adjusting, setAdjusting] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const stockClass = product.stock === 0 ? 'stock--out' : product.stock <= LOW_STOCK ? 'stock--low' : '';
  return (
    <>
      <tr
        data-testid="admin-product-row"
        data-product-id={product.id}
        className={product.archived ? 'row--archived' : ''}
      >
        <td>
          {product.imageUrl ? (
            <img className="img img--thumb" src={product.imageUrl} alt="" width={40} height={40} />
          ) : (
            <span className="img img--thumb img--empty" aria-hidden="true" />
          )}
        </td>
        <th scope="row">
          {product.archived ? product.name : <a href={`/products/${product.id}`}>{product.name}</a>}
          {product.archived && <span className="pill pill--archived">archived</span>}
        </th>
        <td>{product.category.name}</td>
        <td className="num">{formatPrice(product.priceCents)}</td>
        <td className={`num ${stockClass}`} data-testid="stock">
          {product.stock}
        </td>
        <td>{formatDate(product.updatedAt)}</td>
        <td className="cell-actions">
          <button
            type="button"
            className="btn btn--ghost btn--small"
            onClick={onEdit}
            aria-label={`Edit ${product.name}`}
          >
            Edit
          </button>
          <button
            type="button"
            className="btn btn--ghost btn--small"
            onClick={() => setAdjusting((a) => !a)}
            aria-expanded={adjusting}
            aria-label={`Adjust stock of ${product.name}`}
          >
            Stock
          </button>
          <button
            type="button"
            className="btn btn--ghost btn--small"
            onClick={() => setShowHistory((h) => !h)}
            aria-expanded={showHistory}
            aria-controls={showHistory ? `stock-history-${product.id}` : undefined}
            aria-label={`Stock history of ${product.name}`}
          >
            History
          </button>
          <RemovalActions product={product} />
        </td>
      </tr>
      {adjusting && (
        <tr className="row--form">
          <td colSpan={7}>
            <StockForm product={product} onDone={() => setAdjusting(false)} />
          </td>
        </tr>
      )}
      {showHistory && (
        <tr className="row--form">
          <td colSpan={7} id={`stock-history-${product.id}`} className="stock-history">
            <StockHistory product={product} />
          </td>
        </tr>
      )}
    </>
  );
}
