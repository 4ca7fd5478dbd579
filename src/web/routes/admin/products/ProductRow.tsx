import { useState } from 'react';
import type { AdminProduct } from '../../../../contract/catalog.ts';
import { api, unwrap } from '../../../api/client.ts';
import { useArchiveProduct, useUpdateProduct } from '../../../components/admin/api.ts';
import { useNotify } from '../../../components/Notifications.tsx';
import { formatDate, formatPrice } from '../../../format.ts';
import { LOW_STOCK } from './query.ts';
import { StockForm, StockHistory } from './StockPanel.tsx';

/** One product of the console's table, with its actions and the stock panels it opens below. */
export function ProductRow({ product, onEdit }: { product: AdminProduct; onEdit: () => void }) {
  const [adjusting, setAdjusting] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const archive = useArchiveProduct();
  const restore = useUpdateProduct();
  const notify = useNotify();

  const onArchive = () =>
    archive.mutate(product.id, {
      onSuccess: async () => {
        setConfirming(false);
        // The API archives a product that appears in orders and deletes one that never did.
        const archived = await unwrap(
          api.GET('/api/admin/products', { params: { query: { archived: 'true', q: product.name } } }),
        ).then(
          (page) => page.items.some((p) => p.id === product.id),
          () => true,
        );
        notify.success(
          archived
            ? `Archived ${product.name}: hidden from the shop, kept in order history.`
            : `Deleted ${product.name}: it was never ordered.`,
        );
      },
      onError: (e) => notify.failure(e, `Could not archive ${product.name}.`),
    });
  const onRestore = () =>
    restore.mutate(
      { id: product.id, body: { archived: false } },
      {
        onSuccess: () => notify.success(`Restored ${product.name} to the shop.`),
        onError: (e) => notify.failure(e, `Could not restore ${product.name}.`),
      },
    );

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
          {product.archived ? (
            <button
              type="button"
              className="btn btn--ghost btn--small"
              onClick={onRestore}
              disabled={restore.isPending}
              aria-label={`Restore ${product.name}`}
            >
              Restore
            </button>
          ) : confirming ? (
            <span className="confirm">
              <button
                type="button"
                className="btn btn--danger btn--small"
                onClick={onArchive}
                disabled={archive.isPending}
                aria-label={`Confirm archiving ${product.name}`}
              >
                Archive
              </button>
              <button
                type="button"
                className="btn btn--ghost btn--small"
                onClick={() => setConfirming(false)}
              >
                Keep
              </button>
            </span>
          ) : (
            <button
              type="button"
              className="btn btn--danger-outline btn--small"
              onClick={() => setConfirming(true)}
              aria-label={`Archive ${product.name}`}
            >
              Archive
            </button>
          )}
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
