import { describe, expect, it } from 'vitest';
import {
  algorithmName,
  driverSentences,
  jobOutcome,
  logLines,
  predictionSentence,
  riskWords,
  triggerWords,
} from './words.ts';

describe('predictions in words', () => {
  it('says the rhythm, the last order and the risk', () => {
    expect(
      predictionSentence({
        status: 'ok',
        churnProbability: 0.81,
        expectedOrders: 0.2,
        predictedSpendCents: 500,
        horizonDays: 90,
        features: { frequency: 3, tenureDays: 233, recencyDays: 143 },
      }),
    ).toBe('usually orders every 30 days; last order 143 days ago; likely to churn');
    expect(
      predictionSentence({
        status: 'ok',
        churnProbability: 0.2,
        expectedOrders: 1,
        predictedSpendCents: 500,
        horizonDays: 90,
        features: { frequency: 0, tenureDays: 10, recencyDays: 10 },
      }),
    ).toBe('has ordered once; last order 10 days ago; likely to order again');
    expect(riskWords(0.5)).toBe('at risk of churning');
    expect(riskWords(null)).toBe('not scored yet');
  });

  it('names drivers, models, job lines and outcomes without ids a shop owner cannot read', () => {
    expect(
      driverSentences([{ feature: 'recencyDays', effect: 0.8, direction: 'raises churn risk' }]),
    ).toEqual(['Time since the last order: raises the risk of churning.']);
    expect(algorithmName('bgnbd')).toBe('BG/NBD purchase-rhythm model (bgnbd)');
    expect(logLines('2026-12-01T20:00:01.000Z loading orders\nplain\n')).toEqual([
      { time: '2026-12-01T20:00:01.000Z', message: 'loading orders' },
      { time: null, message: 'plain' },
    ]);
    expect(
      jobOutcome(
        [3, 4],
        [
          { id: 3, kind: 'churn', status: 'active' },
          { id: 4, kind: 'spend', status: 'rejected' },
        ],
      ),
    ).toBe('churn model #3 promoted; spend model #4 rejected (not better than the active one)');
  });

  it('names who started a job without claiming it was this page', () => {
    // POST /api/ml/retrain from another tab or a script is "manual" too.
    expect(triggerWords('manual')).toBe('started by an admin');
    expect(triggerWords('activation')).toBe('rescoring after an activation');
    expect(triggerWords('something-new')).toBe('something-new');
  });
});
