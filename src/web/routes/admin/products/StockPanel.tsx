import { type FormEvent, useEffect, useState } from 'react';
import type { AdminProduct } from '../../../../contract/catalog.ts';
import { isApiError } from '../../../api/client.ts';
import { useAdjustStock, useStockAdjustments } from '../../../components/admin/api.ts';
import { Field } from '../../../components/Field.tsx';
import { useNotify } from '../../../components/Notifications.tsx';
import { formatDate } from '../../../format.ts';
import { STOCK_REASONS, signedDelta } from './draft.ts';

// A product's stock: the +/− adjustment form and the history of manual changes.

export function StockForm({ product, onDone }: { product: AdminProduct; onDone: () => void }) {
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState(STOCK_REASONS[0]);
  const [error, setError] = useState<string | undefined>();
  const adjust = useAdjustStock();
  const notify = useNotify();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const value = delta.trim();
    if (!/^[+-]?\d+$/.test(value) || Number(value) === 0) {
      setError('Enter a whole number other than 0, e.g. 10 or -3.');
      return;
    }
    setError(undefined);
    adjust.mutate(
      { id: product.id, delta: Number(value), reason },
      {
        onSuccess: (p) => {
          notify.success(
            `${product.name}: stock ${Number(value) > 0 ? '+' : ''}${Number(value)} (${reason}), now ${p?.stock}.`,
          );
          onDone();
        },
        onError: (e) => {
          const message = isApiError(e, 'insufficient_stock')
            ? `Only ${product.stock} in stock: cannot remove ${-Number(value)}.`
            : e.message;
          setError(message);
          notify.notify('error', `${product.name}: ${message}`);
        },
      },
    );
  };

  return (
    <form
      className="stock-form"
      onSubmit={onSubmit}
      noValidate
      aria-label={`Adjust stock of ${product.name}`}
    >
      <Field
        name="delta"
        id={`delta-${product.id}`}
        label="Change (+/−)"
        inputMode="numeric"
        value={delta}
        onChange={(e) => setDelta(e.target.value)}
        error={error}
        autoFocus
      />
      <div className="field">
        <label htmlFor={`reason-${product.id}`}>Reason</label>
        <select id={`reason-${product.id}`} value={reason} onChange={(e) => setReason(e.target.value)}>
          {STOCK_REASONS.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </div>
      <button type="submit" className="btn btn--primary btn--small" disabled={adjust.isPending}>
        Apply
      </button>
      <button type="button" className="btn btn--ghost btn--small" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}

/** The product's manual stock changes, newest first (checkout sales are in the orders instead). */
export function StockHistory({ product }: { product: AdminProduct }) {
  const { data, error, refetch, isFetching } = useStockAdjustments(product.id);
  const notify = useNotify();
  useEffect(() => {
    if (error)
      notify.notify('error', `Could not load the stock history of ${product.name}. ${error.message}`);
  }, [error, notify, product.name]);

  if (!data) {
    if (!error) return <p className="loading">Loading stock history…</p>;
    return (
      <p className="stock-history__state">
        The stock history could not be loaded.{' '}
        <button
          type="button"
          className="btn btn--ghost btn--small"
          onClick={() => refetch()}
          disabled={isFetching}
        >
          Try again
        </button>
      </p>
    );
  }
  if (data.length === 0) {
    return <p className="stock-history__state muted">No manual stock changes yet.</p>;
  }
  return (
    <table className="data-table stock-history__table" data-testid="stock-history">
      <caption>Manual stock changes of {product.name}, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col" className="num">
            Change
          </th>
          <th scope="col" className="num">
            Stock after
          </th>
          <th scope="col">Reason</th>
          <th scope="col">By</th>
        </tr>
      </thead>
      <tbody>
        {data.map((entry) => (
          <tr key={entry.id} data-testid="stock-history-entry">
            <th scope="row">{formatDate(entry.createdAt)}</th>
            <td className="num">{signedDelta(entry.delta)}</td>
            <td className="num">{entry.stockAfter}</td>
            <td>{entry.reason ?? <span className="muted">No reason given</span>}</td>
            <td>{entry.adminUsername ?? <span className="muted">Deleted account</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
