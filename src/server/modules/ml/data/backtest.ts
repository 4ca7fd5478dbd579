import { type CustomerHistory, featuresAt, labelsAfter } from '../features.ts';
import {
  type ChurnMetrics,
  churnMetrics,
  type RegressionMetrics,
  regressionMetrics,
} from '../models/metrics.ts';
import {
  type ChurnSpec,
  historicalRateBaseline,
  rowsAt,
  type SpendSpec,
  scoreChurn,
  scoreSpend,
  type TrainResult,
  train,
} from '../pipeline.ts';

/**
 * An out-of-time test: every model is fitted with data up to the cutoff only (its own training
 * window and holdout both end there), then scored on what happened in (cutoff, cutoff + H].
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
    customerId: number;
    churnProbability: number | null;
    expectedOrders: number | null;
    predictedSpendCents: number | null;
    actualOrders: number;
    actualSpendCents: number;
  }>;
}

export function backtest(histories: CustomerHistory[], cutoff: number, horizonDays: number): BacktestReport {
  const trained = train(histories, { now: cutoff, horizonDays });
  const rows = rowsAt(histories, cutoff, horizonDays);
  const labels = rows.map((r) => r.y.churned);
  // The base rate known at the cutoff: the churn rate of the last fully observed window.
  const recent = rowsAt(histories, trained.windows.holdoutCutoff, horizonDays);
  const baseRate = recent.reduce((s, r) => s + r.y.churned, 0) / recent.length;
  const churn = trained.churnCandidates.map((spec) => ({
    name: `${spec.algorithm}${spec.algorithm === trained.churn.spec.algorithm ? ' (chosen)' : ''}`,
    metrics: churnMetrics(
      rows.map((r) => scoreChurn(spec, r.f, horizonDays)),
      labels,
    ),
  }));
  churn.push({
    name: 'baseline: base rate',
    metrics: churnMetrics(
      rows.map(() => baseRate),
      labels,
    ),
  });
  const spendSpec = trained.spend.spec as SpendSpec;
  const chosenChurn = trained.churn.spec as ChurnSpec;
  const scored = rows.map((r) => scoreSpend(spendSpec, r.f, horizonDays));
  const base = rows.map((r) => historicalRateBaseline(r.f, horizonDays));
  const actualOrders = rows.map((r) => r.y.orders);
  const actualSpend = rows.map((r) => r.y.spendCents);
  return {
    trained,
    cutoff,
    horizonDays,
    customers: rows.length,
    churn,
    orders: [
      {
        name: spendSpec.algorithm,
        metrics: regressionMetrics(
          scored.map((s) => s.expectedOrders),
          actualOrders,
        ),
      },
      {
        name: 'baseline: historical rate',
        metrics: regressionMetrics(
          base.map((b) => b.orders),
          actualOrders,
        ),
      },
    ],
    spendCents: [
      {
        name: spendSpec.algorithm,
        metrics: regressionMetrics(
          scored.map((s) => s.spendCents),
          actualSpend,
        ),
      },
      {
        name: 'baseline: historical rate',
        metrics: regressionMetrics(
          base.map((b) => b.spendCents),
          actualSpend,
        ),
      },
    ],
    rows: histories.map((h) => {
      const f = featuresAt(h, cutoff);
      const y = labelsAfter(h, cutoff, horizonDays);
      const s = f.eligible ? scoreSpend(spendSpec, f, horizonDays) : null;
      return {
        customerId: h.userId,
        churnProbability: f.eligible ? scoreChurn(chosenChurn, f, horizonDays) : null,
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

/** customer_id,churn_probability,expected_orders,predicted_spend,actual_orders,actual_spend (money in dollars). */
export function backtestCsv(report: BacktestReport): string {
  const lines = ['customer_id,churn_probability,expected_orders,predicted_spend,actual_orders,actual_spend'];
  for (const r of report.rows) {
    lines.push(
      [
        r.customerId,
        r.churnProbability === null ? '' : r.churnProbability.toFixed(6),
        r.expectedOrders === null ? '' : r.expectedOrders.toFixed(6),
        r.predictedSpendCents === null ? '' : dollars(r.predictedSpendCents),
        r.actualOrders,
        dollars(r.actualSpendCents),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
