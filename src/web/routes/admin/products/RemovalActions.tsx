import { useState } from 'react';
import type { AdminProduct } from '../../../../contract/catalog.ts';
import { useDeleteProduct, useUpdateProduct } from '../../../components/admin/api.ts';
import { useNotify } from '../../../components/Notifications.tsx';

// Archive, Restore and Delete are separate actions, each confirmed with a plain warning. Archive
// (PATCH archived: true) hides a product and can be undone; Delete removes it for good, except that
// the server archives instead when the product appears in an order or a cart and says so in the
// `Product-Removal` header.

const WARNINGS = {
  archive: 'It leaves the shop at once; past orders keep it, and Restore brings it back.',
  delete:
    'This removes it for good and cannot be undone. If it was ever ordered or is in a cart, it is archived instead.',
};

export function RemovalActions({ product }: { product: AdminProduct }) {
  const [confirming, setConfirming] = useState<'archive' | 'delete' | null>(null);
  const update = useUpdateProduct();
  const remove = useDeleteProduct();
  const notify = useNotify();
  const name = product.name;

  const setArchived = (archived: boolean) =>
    update.mutate(
      { id: product.id, body: { archived } },
      {
        onSuccess: () => {
          setConfirming(null);
          notify.success(
            archived
              ? `Archived ${name}: hidden from the shop, kept in order history.`
              : `Restored ${name} to the shop.`,
          );
        },
        onError: (e) => notify.failure(e, `Could not ${archived ? 'archive' : 'restore'} ${name}.`),
      },
    );
  const onDelete = () =>
    remove.mutate(product.id, {
      onSuccess: (removal) => {
        setConfirming(null);
        notify.success(
          removal === 'deleted'
            ? `Deleted ${name} for good.`
            : `${name} was ordered before, so it was archived instead of deleted: hidden from the shop, kept in order history.`,
        );
      },
      onError: (e) => notify.failure(e, `Could not delete ${name}.`),
    });

  if (confirming) {
    const archiving = confirming === 'archive';
    return (
      <fieldset className="confirm">
        <legend className="confirm__warning">
          {archiving ? 'Archive' : 'Delete'} {name}? {WARNINGS[confirming]}
        </legend>
        <button
          type="button"
          className="btn btn--danger btn--small"
          onClick={archiving ? () => setArchived(true) : onDelete}
          disabled={update.isPending || remove.isPending}
          aria-label={archiving ? `Confirm archiving ${name}` : `Confirm deleting ${name}`}
        >
          {archiving ? 'Archive' : 'Delete for good'}
        </button>
        <button type="button" className="btn btn--ghost btn--small" onClick={() => setConfirming(null)}>
          Keep
        </button>
      </fieldset>
    );
  }
  return (
    <>
      {product.archived ? (
        <button
          type="button"
          className="btn btn--ghost btn--small"
          onClick={() => setArchived(false)}
          disabled={update.isPending}
          aria-label={`Restore ${name}`}
        >
          Restore
        </button>
      ) : (
        <button
          type="button"
          className="btn btn--danger-outline btn--small"
          onClick={() => setConfirming('archive')}
          aria-label={`Archive ${name}`}
        >
          Archive
        </button>
      )}
      <button
        type="button"
        className="btn btn--danger-outline btn--small"
        onClick={() => setConfirming('delete')}
        aria-label={`Delete ${name}`}
      >
        Delete
      </button>
    </>
  );
}
