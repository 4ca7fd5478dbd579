import { Link } from 'react-router';
import { useOverview } from '../../components/admin/api.ts';
import { RevenueChart } from '../../components/admin/charts.tsx';
import { formatPercent, QueryState, Stat, SyntheticBadge } from '../../components/admin/ui.tsx';
import { formatDate, formatPrice } from '../../format.ts';
import { usePageTitle } from '../usePageTitle.ts';

export function Overview() {
  usePageTitle('Admin overview');
  const { data, error, isPending } = useOverview();
  if (!data) return <QueryState error={error} isPending={isPending} />;
  return (
    <div>
      <h1>Overview</h1>
      <div className="stats">
        <Stat label="Revenue, last 30 days" value={formatPrice(data.revenueCents)} testId="stat-revenue" />
        <Stat label="Orders, last 30 days" value={data.orders} />
        <Stat
          label="Average order value"
          value={data.averageOrderValueCents === null ? '—' : formatPrice(data.averageOrderValueCents)}
          testId="stat-aov"
        />
        <Stat
          label={`Customers (${data.counts.syntheticCustomers} synthetic)`}
          value={data.counts.customers}
        />
        <Stat
          label={`Live products (${data.counts.archivedProducts} archived)`}
          value={data.counts.liveProducts}
        />
        <Stat label="Open carts" value={data.counts.openCarts} />
      </div>
      <section className="panel">
        <RevenueChart days={data.days} />
      </section>
      <div className="admin-columns">
        <section className="panel" aria-labelledby="at-risk-title">
          <h2 id="at-risk-title">Customers at high churn risk</h2>
          <p className="muted">
            Churn probability of {formatPercent(data.highChurnRiskThreshold)} or more, from the active model.
          </p>
          {data.atRisk.length === 0 ? (
            <p>No scored customer is at high risk right now.</p>
          ) : (
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Customer</th>
                  <th scope="col" className="num">
                    Churn
                  </th>
                  <th scope="col" className="num">
                    Predicted spend
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.atRisk.map((c) => (
                  <tr key={c.userId}>
                    <th scope="row">
                      <Link to={`/admin/customers/${c.userId}`}>{c.username}</Link>{' '}
                      <SyntheticBadge synthetic={c.isSynthetic} />
                    </th>
                    <td className="num">{formatPercent(c.churnProbability)}</td>
                    <td className="num">
                      {c.predictedSpendCents === null ? '—' : formatPrice(c.predictedSpendCents)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p>
            <Link to="/admin/customers">All customers →</Link>
          </p>
        </section>
        <section className="panel" aria-labelledby="low-stock-title">
          <h2 id="low-stock-title">Low stock</h2>
          <p className="muted">Live products with {data.lowStockThreshold} units or fewer.</p>
          {data.lowStock.length === 0 ? (
            <p>Every product is well stocked.</p>
          ) : (
            <table className="data-table" data-testid="low-stock">
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col" className="num">
                    Stock
                  </th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {data.lowStock.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">
                      <Link to={`/admin/products?q=${encodeURIComponent(p.name)}`}>{p.name}</Link>
                    </th>
                    <td className={`num ${p.stock === 0 ? 'stock--out' : 'stock--low'}`}>{p.stock}</td>
                    <td>{formatDate(p.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </div>
  );
}
