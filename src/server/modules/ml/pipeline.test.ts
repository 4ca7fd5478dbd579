import { describe, expect, it } from 'vitest';
import { type CustomerHistory, DAY_MS, featuresAt, labelsAfter } from './features.ts';
import type { ChurnMetrics } from './models/metrics.ts';
import { type SpendMetrics, train } from './pipeline.ts';
import { simulateCustomers } from './data/simulate.ts';

const END = Date.UTC(2026, 0, 1);

function simulatedHistories(customers: number, seed: number): CustomerHistory[] {
  return [...simulateCustomers({ customers, days: 730, seed, end: END })].map((c) => ({
    userId: c.index + 1,
    orders: c.orders.map(([at, dollars]) => [at, Math.round(dollars * 100)] as [number, number]),
    events: c.events,
  }));
}

describe('features and labels', () => {
  const h: CustomerHistory = {
    userId: 1,
    orders: [
      [END - 100 * DAY_MS, 1000],
      [END - 40 * DAY_MS, 3000],
      [END, 5000],
      [END + 10 * DAY_MS, 7000],
    ],
    events: [
      [END - 50 * DAY_MS, 0],
      [END - 5 * DAY_MS, 0],
      [END - 4 * DAY_MS, 3],
      [END + DAY_MS, 0],
    ],
  };

  it('uses only data strictly before the cutoff for features', () => {
    const f = featuresAt(h, END);
    expect(f.orders).toBe(2);
    expect(f.features).toMatchObject({ recencyDays: 40, frequency: 1, monetaryCents: 2000, tenureDays: 100 });
    expect(f.features.views).toBe(1); // the 30-day window; the view after the cutoff is ignored
    expect(f.features.cartAdds).toBe(1);
    expect(f.features.abandonedCarts).toBe(1);
    expect(f.rfm).toEqual({ x: 1, tx: 60, T: 100 });
  });

  it('labels come from (cutoff, cutoff + H]', () => {
    expect(labelsAfter(h, END, 90)).toEqual({ orders: 1, spendCents: 7000, churned: 0 });
    expect(labelsAfter(h, END + 10 * DAY_MS, 90)).toEqual({ orders: 0, spendCents: 0, churned: 1 });
  });

  it('marks customers without enough history instead of scoring them', () => {
    expect(featuresAt(h, END - 200 * DAY_MS)).toMatchObject({
      eligible: false,
      reason: 'no closed orders yet',
    });
    expect(featuresAt(h, END - 97 * DAY_MS).eligible).toBe(false);
  });
});

describe('training on simulated customers with known behaviour', () => {
  const histories = simulatedHistories(3000, 21);

  it('beats the baselines by the required margins on the later holdout', () => {
    const result = train(histories, { now: END, horizonDays: 90 });
    const churn = result.churn.metrics as ChurnMetrics;
    const base = result.churn.baselineMetrics as ChurnMetrics;
    expect(churn.rocAuc).toBeGreaterThanOrEqual(0.8);
    expect(churn.brier).toBeLessThan(base.brier);
    expect(base.rocAuc).toBeCloseTo(0.5, 10);
    const spend = result.spend.metrics as SpendMetrics;
    const spendBase = result.spend.baselineMetrics as SpendMetrics;
    expect(spend.orders.mae).toBeLessThanOrEqual(0.85 * spendBase.orders.mae);
    expect(spend.spendCents.mae).toBeLessThan(spendBase.spendCents.mae);
    expect(result.trainRows).toBeGreaterThan(1000);
    expect(churn.customers).toBe(result.holdoutRows);
  });

  it('cannot leak: a model trained on random labels scores ROC-AUC ≈ 0.5', () => {
    const result = train(histories, { now: END, horizonDays: 90, randomLabelsSeed: 5 });
    const auc = (result.churn.metrics as ChurnMetrics & { alternatives: Record<string, ChurnMetrics> })
      .alternatives['logistic-l2'].rocAuc!;
    expect(auc).toBeGreaterThanOrEqual(0.45);
    expect(auc).toBeLessThanOrEqual(0.55);
  });

  it('ignores everything after `now` (same data hash and fit when future orders are added)', () => {
    const withFuture = histories.map((h) => ({
      ...h,
      orders: [...h.orders, [END + DAY_MS, 99_999] as [number, number]],
    }));
    const a = train(histories.slice(0, 800), { now: END - 30 * DAY_MS, horizonDays: 60 });
    const b = train(withFuture.slice(0, 800), { now: END - 30 * DAY_MS, horizonDays: 60 });
    expect(b.dataHash).toBe(a.dataHash);
    expect(b.spend.spec.params).toEqual(a.spend.spec.params);
  });
});
