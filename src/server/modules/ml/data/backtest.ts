import { stringify } from 'csv-stringify/sync';
import { type CustomerHistory, featuresAt, labelsAfter } from '../features.ts';
import {
  type ChurnMetrics,
  churnMetrics,
  type RegressionMetrics,
  regressionMetrics,
} from '../models/metrics.ts';
import { type TrainResult, train } from '../pipeline.ts';
import { historicalRateBaseline, rowsAt, scoreChurn, scoreSpend } from '../scoring.ts';

/**
 * An out-of-time test: every model is fitted with data up to the cutoff only (its own folds end
 * there), then scored on what happened in (cutoff, cutoff + H]. With less than 2H of history before
 * the cutoff only BG/NBD + Gamma-Gamma are fitted (the likelihood-only regime, decision 152).
 */
export interface BacktestReport {
  trained: TrainResult;
  cutoff: number;
  horizonDays: number;
  customers: number;
  churn: Array<{ name: string; metrics: ChurnMetrics }>;
  orders: Array<{ name: string; metrics: RegressionMetrics }>;
  spendCents: Array<{ name: string; metrics: RegressionMetrics }>;
  rows: Array<{
    /** The shop's own id when the customer was imported, else Cartwise's user id. */
    customerId: string;
    churnProbability: number | null;
    expectedOrders: number | null;
    predictedSpendCents: number | null;
    actualOrders: number;
    actualSpendCents: number;
  }>;
}

export function backtest(
  histories: CustomerHistory[],
  cutoff: number,
  horizonDays: number,
  externalIds: Map<number, string> = new Map(),
): BacktestReport {
  const trained = train(histories, { now: cutoff, horizonDays, allowUnmeasured: true });
  const rows = rowsAt(histories, cutoff, horizonDays);
  const labels = rows.map((r) => r.y.churned);
  // The base rate known at the cutoff: the churn rate of the last fully observed window (none → ½).
  const recent = rowsAt(histories, trained.windows.holdoutCutoff, horizonDays);
  const baseRate = recent.length ? recent.reduce((s, r) => s + r.y.churned, 0) / recent.length : 0.5;
  const chosen = (algorithm: string, of: { algorithm: string }) =>
    `${algorithm}${algorithm === of.algorithm ? ' (chosen)' : ''}`;
  const churn = trained.churnCandidates.map((spec) => ({
    name: chosen(spec.algorithm, trained.churn.spec),
    metrics: churnMetrics(
      rows.map((r) => scoreChurn(spec, r.f, horizonDays)),
      labels,
    ),
  }));
  churn.push({
    name: recent.length ? 'baseline: base rate' : 'baseline: base rate (none known: 0.5)',
    metrics: churnMetrics(
      rows.map(() => baseRate),
      labels,
    ),
  });
  const actualOrders = rows.map((r) => r.y.orders);
  const actualSpend = rows.map((r) => r.y.spendCents);
  const orders: BacktestReport['orders'] = [];
  const spendCents: BacktestReport['spendCents'] = [];
  for (const spec of trained.spendCandidates) {
    const scored = rows.map((r) => scoreSpend(spec, r.f, horizonDays));
    const name = chosen(spec.algorithm, trained.spend.spec);
    orders.push({
      name,
      metrics: regressionMetrics(
        scored.map((s) => s.expectedOrders),
        actualOrders,
      ),
    });
    spendCents.push({
      name,
      metrics: regressionMetrics(
        scored.map((s) => s.spendCents),
        actualSpend,
      ),
    });
  }
  const base = rows.map((r) => historicalRateBaseline(r.f, horizonDays));
  orders.push({
    name: 'baseline: historical rate',
    metrics: regressionMetrics(
      base.map((b) => b.orders),
      actualOrders,
    ),
  });
  spendCents.push({
    name: 'baseline: historical rate',
    metrics: regressionMetrics(
      base.map((b) => b.spendCents),
      actualSpend,
    ),
  });
  const churnSpec = trained.churn.spec as Parameters<typeof scoreChurn>[0];
  const spendSpec = trained.spend.spec as Parameters<typeof scoreSpend>[0];
  return {
    trained,
    cutoff,
    horizonDays,
    customers: rows.length,
    churn,
    orders,
    spendCents,
    rows: histories.map((h) => {
      const f = featuresAt(h, cutoff);
      const y = labelsAfter(h, cutoff, horizonDays);
      const s = f.eligible ? scoreSpend(spendSpec, f, horizonDays) : null;
      return {
        customerId: externalIds.get(h.userId) ?? String(h.userId),
        churnProbability: f.eligible ? scoreChurn(churnSpec, f, horizonDays) : null,
        expectedOrders: s ? s.expectedOrders : null,
        predictedSpendCents: s ? s.spendCents : null,
        actualOrders: y.orders,
        actualSpendCents: y.spendCents,
      };
    }),
  };
}

const num = (v: number | null, digits = 3) => (v === null ? '—' : v.toFixed(digits));

/** The metrics table the CLI prints, models beside their baselines. */
export function formatBacktest(report: BacktestReport): string {
  const out: string[] = [];
  const pad = (cells: string[], widths: number[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  out.push(
    `Customers scored: ${report.customers} (features before the cutoff, outcomes in the ${report.horizonDays} days after)`,
  );
  out.push(`Regime: ${report.trained.card.regime} — ${report.trained.card.reason}`);
  out.push('');
  const cw = [34, 10, 8, 8, 8, 11];
  out.push(pad(['churn model', 'customers', 'ROC-AUC', 'PR-AUC', 'Brier', 'churn rate'], cw));
  for (const c of report.churn) {
    out.push(
      pad(
        [
          c.name,
          String(c.metrics.customers),
          num(c.metrics.rocAuc),
          num(c.metrics.prAuc),
          num(c.metrics.brier, 4),
          num(c.metrics.churnRate),
        ],
        cw,
      ),
    );
  }
  const rw = [34, 10, 10, 10, 9];
  for (const [title, list, scale] of [
    ['orders model', report.orders, 1],
    ['spend model ($)', report.spendCents, 100],
  ] as const) {
    out.push('');
    out.push(pad([title, 'customers', 'MAE', 'RMSE', 'bias'], rw));
    for (const r of list) {
      out.push(
        pad(
          [
            r.name,
            String(r.metrics.customers),
            num(r.metrics.mae / scale),
            num(r.metrics.rmse / scale),
            r.metrics.bias === null ? '—' : `${(r.metrics.bias * 100).toFixed(1)} %`,
          ],
          rw,
        ),
      );
    }
  }
  return out.join('\n');
}

const dollars = (cents: number) => (cents / 100).toFixed(2);

/**
 * customer_id,churn_probability,expected_orders,predicted_spend,actual_orders,actual_spend (money
 * in dollars); customer_id is the shop's own id for imported customers, quoted per RFC 4180.
 */
export function backtestCsv(report: BacktestReport): string {
  return stringify(
    report.rows.map((r) => [
      r.customerId,
      r.churnProbability === null ? '' : r.churnProbability.toFixed(6),
      r.expectedOrders === null ? '' : r.expectedOrders.toFixed(6),
      r.predictedSpendCents === null ? '' : dollars(r.predictedSpendCents),
      r.actualOrders,
      dollars(r.actualSpendCents),
    ]),
    {
      header: true,
      columns: [
        'customer_id',
        'churn_probability',
        'expected_orders',
        'predicted_spend',
        'actual_orders',
        'actual_spend',
      ],
      record_delimiter: 'unix',
    },
  );
}
