import { Link, useParams } from 'react-router';
import type { AdminCustomer } from '../../../contract/admin.ts';
import { useAdminCustomer } from '../../components/admin/api.ts';
import {
  formatDay,
  formatNumber,
  formatPercent,
  QueryState,
  Stat,
  SyntheticBadge,
} from '../../components/admin/ui.tsx';
import { formatDate, formatPrice } from '../../format.ts';
import { usePageTitle } from '../usePageTitle.ts';
import { algorithmName, driverSentences, predictionSentence } from './ml/words.ts';

function Prediction({ prediction }: { prediction: NonNullable<AdminCustomer['prediction']> }) {
  if (prediction.status !== 'ok') {
    return (
      <p className="callout" data-testid="prediction-missing">
        No prediction: {prediction.reason ?? 'not enough data'}.
      </p>
    );
  }
  const explanation = prediction.explanation;
  return (
    <>
      <p className="prediction-sentence" data-testid="prediction-sentence">
        {capitalize(predictionSentence(prediction))}.
      </p>
      <div className="stats">
        <Stat
          label={`Chance of no order in ${prediction.horizonDays} days`}
          value={formatPercent(prediction.churnProbability)}
          testId="prediction-churn"
        />
        <Stat label="Expected orders" value={formatNumber(prediction.expectedOrders)} />
        <Stat
          label="Expected spend"
          value={prediction.predictedSpendCents === null ? '—' : formatPrice(prediction.predictedSpendCents)}
        />
        <Stat label="Next order expected" value={formatDay(prediction.expectedNextOrderAt)} />
      </div>
      <p className="muted">
        Over the next {prediction.horizonDays} days · computed {formatDate(prediction.computedAt)}
      </p>
      {explanation && (
        <div data-testid="prediction-explanation">
          <h3>Why</h3>
          <p>
            Chance the customer still buys from the shop at all: {formatPercent(explanation.probabilityAlive)}
            ; a typical order from them is worth {formatPrice(explanation.expectedOrderValueCents)}.
          </p>
          <ul className="driver-list">
            {driverSentences(explanation.drivers).map((sentence) => (
              <li key={sentence}>{sentence}</li>
            ))}
          </ul>
          <p className="muted">
            Models: {algorithmName(explanation.churnAlgorithm)}; {algorithmName(explanation.spendAlgorithm)}.
          </p>
        </div>
      )}
    </>
  );
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function CustomerPage() {
  const userId = Number(useParams().userId);
  const { data, error, isPending } = useAdminCustomer(userId);
  usePageTitle(data ? `Customer ${data.user.username}` : 'Customer');
  return (
    <div>
      <Link className="back" to="/admin/customers">
        ← All customers
      </Link>
      {!data ? (
        <QueryState error={error} isPending={isPending} />
      ) : (
        <>
          <h1>
            {data.user.firstName} {data.user.lastName} <span className="muted">@{data.user.username}</span>{' '}
            <SyntheticBadge synthetic={data.isSynthetic} />
          </h1>
          <p className="muted">
            {data.user.email}
            {data.prediction?.externalId && (
              <>
                {' '}
                · shop id <span data-testid="external-id">{data.prediction.externalId}</span>
              </>
            )}{' '}
            · {data.user.city}, {data.user.country} · customer since {formatDate(data.user.createdAt)}
            {data.isSynthetic && ' · generated demo history, not a real person'}
          </p>
          <section className="panel" aria-labelledby="prediction-title">
            <h2 id="prediction-title">Prediction</h2>
            {data.prediction ? (
              <Prediction prediction={data.prediction} />
            ) : (
              <p>Admin accounts are not scored.</p>
            )}
          </section>
          <div className="admin-columns">
            <section className="panel" aria-labelledby="orders-title">
              <h2 id="orders-title">Orders ({data.orders.length})</h2>
              {data.orders.length === 0 ? (
                <p>No orders yet.</p>
              ) : (
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col">Order</th>
                      <th scope="col">Placed</th>
                      <th scope="col" className="num">
                        Total
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.orders.map((o) => (
                      <tr key={o.id}>
                        <th scope="row">
                          <Link to={`/admin/orders/${o.id}`}>#{o.id}</Link>
                        </th>
                        <td>{o.status === 'TEMP' ? 'Open cart' : formatDate(o.closedAt)}</td>
                        <td className="num">{formatPrice(o.totalCents)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section className="panel" aria-labelledby="events-title">
              <h2 id="events-title">Recent behaviour</h2>
              {data.recentEvents.length === 0 ? (
                <p>No recorded behaviour.</p>
              ) : (
                <ol className="event-list" data-testid="recent-events">
                  {data.recentEvents.map((e) => (
                    <li key={e.id}>
                      <time dateTime={e.createdAt}>{formatDate(e.createdAt)}</time>{' '}
                      <strong>{e.type.replace('_', ' ')}</strong>
                      {e.productName && <> · {e.productName}</>}
                      {e.type === 'search' && isTerms(e.payload) && <> · “{e.payload.terms.join(', ')}”</>}
                      {hasOrder(e.payload) && (
                        <>
                          {' '}
                          · <Link to={`/admin/orders/${e.payload.orderId}`}>order #{e.payload.orderId}</Link>
                        </>
                      )}
                    </li>
                  ))}
                </ol>
              )}
            </section>
          </div>
        </>
      )}
    </div>
  );
}

function isTerms(payload: unknown): payload is { terms: string[] } {
  return (
    typeof payload === 'object' && payload !== null && Array.isArray((payload as { terms?: unknown }).terms)
  );
}

function hasOrder(payload: unknown): payload is { orderId: number } {
  return (
    typeof payload === 'object' &&
    payload !== null &&
    Number.isInteger((payload as { orderId?: unknown }).orderId)
  );
}
