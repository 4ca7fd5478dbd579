import type { OutboxMail } from '../../../contract/admin.ts';
import { oneOf } from '../../api/params.ts';
import { useOutbox } from '../../components/admin/api.ts';
import { PagedTable, QueryState, SelectField, useSearchParamUpdate } from '../../components/admin/ui.tsx';
import { formatDate } from '../../format.ts';
import { usePageTitle } from '../usePageTitle.ts';

const PAGE_SIZE = 25;

const KINDS: Record<string, string> = {
  order_confirmation: 'Order confirmation',
  order_shipped: 'Shipped',
  order_cancelled: 'Cancelled',
};

/** A pending mail whose last attempt failed waits for its retry; say so rather than "pending". */
function MailStatus({ mail }: { mail: OutboxMail }) {
  if (mail.status === 'sent') return <span className="pill pill--good">Sent</span>;
  if (mail.lastError) return <span className="pill pill--bad">Failed, will retry</span>;
  return <span className="pill pill--progress">Pending</span>;
}

/** The order mails (confirmation, shipped, cancelled): what went out, what waits, what failed. */
export function Outbox() {
  usePageTitle('Admin outbox');
  const [params, update] = useSearchParamUpdate();
  const status = oneOf(params.get('status'), ['pending', 'sent'] as const, undefined);
  const { data, error, isPending } = useOutbox({
    status,
    page: Number(params.get('page') ?? 1) || 1,
    pageSize: PAGE_SIZE,
  });

  return (
    <div>
      <h1>Outbox</h1>
      {data && !data.delivering && (
        <p className="callout" data-testid="smtp-missing">
          SMTP is not configured (<code>SMTP_URL</code>): order mails wait here and are not sent until it is
          set.
        </p>
      )}
      <div className="filters admin-filters">
        <SelectField
          id="m-status"
          label="Status"
          value={status ?? ''}
          onChange={(s) => update({ status: s })}
        >
          <option value="">All</option>
          <option value="pending">Waiting (pending or retrying)</option>
          <option value="sent">Sent</option>
        </SelectField>
      </div>
      {!data ? (
        <QueryState error={error} isPending={isPending} />
      ) : data.total === 0 ? (
        <div className="empty" data-testid="outbox-empty">
          <p>{status ? 'No mail has this status.' : 'No order mail yet.'}</p>
        </div>
      ) : (
        <PagedTable
          result={data}
          noun="mail"
          testId="outbox-table"
          onPage={(p) => update({ page: String(p) })}
          head={
            <>
              <th scope="col">Recipient</th>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Attempts
              </th>
              <th scope="col">Last error</th>
              <th scope="col">Created</th>
              <th scope="col">Sent</th>
            </>
          }
        >
          {data.items.map((m) => (
            <tr key={m.id} data-testid="outbox-row">
              <th scope="row">{m.to}</th>
              <td>
                {m.subject}
                <div className="muted">{KINDS[m.kind] ?? m.kind}</div>
              </td>
              <td>
                <MailStatus mail={m} />
              </td>
              <td className="num">{m.attempts}</td>
              <td>{m.lastError ?? '—'}</td>
              <td>{formatDate(m.createdAt)}</td>
              <td>{formatDate(m.sentAt)}</td>
            </tr>
          ))}
        </PagedTable>
      )}
    </div>
  );
}
