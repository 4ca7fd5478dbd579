import { medianDaysToNextPurchase, probabilityAlive } from './models/bgnbd.ts';
import { contributions } from './models/logistic.ts';
import { type CustomerFeatures, type CustomerHistory, DAY_MS, featuresAt, logisticRow } from './features.ts';
import {
  blendChurnRow,
  BLEND_CHURN_FEATURES,
  type ChurnSpec,
  scoreChurn,
  scoreSpend,
  type SpendSpec,
} from './scoring.ts';

/** Every customer's prediction at `now` from a churn and a spend version, with what drove it. */

export interface Prediction {
  userId: number;
  status: 'ok' | 'insufficient_data';
  reason: string | null;
  churnProbability: number | null;
  expectedOrders: number | null;
  predictedSpendCents: number | null;
  expectedNextOrderAt: number | null;
  features: Record<string, number>;
  explanation: Explanation | null;
}

export interface Explanation {
  churnAlgorithm: string;
  spendAlgorithm: string;
  probabilityAlive: number;
  expectedOrderValueCents: number;
  drivers: Array<{ feature: string; value: number; effect: number | null; direction: string }>;
}

/** A prediction as stored: JSON columns already serialised (in the worker, off the request thread). */
export interface PredictionRecord extends Omit<Prediction, 'features' | 'explanation'> {
  features: string;
  explanation: string | null;
}

export function toRecord(p: Prediction): PredictionRecord {
  return {
    ...p,
    features: JSON.stringify(p.features),
    explanation: p.explanation ? JSON.stringify(p.explanation) : null,
  };
}

export function predictAll(
  histories: CustomerHistory[],
  churn: ChurnSpec,
  spend: SpendSpec,
  now: number,
  horizonDays: number,
): Prediction[] {
  return histories.map((h) => predictOne(h, churn, spend, now, horizonDays));
}

/** The five inputs that moved the churn score most (supervised models), or the BG/NBD inputs. */
function drivers(churn: ChurnSpec, f: CustomerFeatures, horizonDays: number): Explanation['drivers'] {
  const direction = (effect: number) => (effect > 0 ? 'raises churn risk' : 'lowers churn risk');
  const top = (list: Explanation['drivers']) =>
    list.sort((a, b) => Math.abs(b.effect ?? 0) - Math.abs(a.effect ?? 0)).slice(0, 5);
  if (churn.algorithm === 'logistic-l2') {
    return top(
      contributions(churn.params, logisticRow(f.features)).map((effect, j) => ({
        feature: churn.params.features[j],
        value: f.features[churn.params.features[j] as keyof typeof f.features],
        effect,
        direction: direction(effect),
      })),
    );
  }
  if (churn.algorithm === 'blend-logistic') {
    const row = blendChurnRow(churn.params.bgnbd, f, horizonDays);
    return top(
      contributions(churn.params.model, row).map((effect, j) => ({
        feature: BLEND_CHURN_FEATURES[j],
        value: row[j],
        effect,
        direction: direction(effect),
      })),
    );
  }
  return (['recencyDays', 'frequency', 'tenureDays'] as const).map((feature) => ({
    feature,
    value: f.features[feature],
    effect: null,
    direction: feature === 'frequency' ? 'more purchases lower churn risk' : 'longer gaps raise churn risk',
  }));
}

export function predictOne(
  history: CustomerHistory,
  churn: ChurnSpec,
  spend: SpendSpec,
  now: number,
  horizonDays: number,
): Prediction {
  const f = featuresAt(history, now);
  const features = { ...f.features };
  if (!f.eligible) {
    return {
      userId: history.userId,
      status: 'insufficient_data',
      reason: f.reason,
      churnProbability: null,
      expectedOrders: null,
      predictedSpendCents: null,
      expectedNextOrderAt: null,
      features,
      explanation: null,
    };
  }
  const churnProbability = scoreChurn(churn, f, horizonDays);
  const s = scoreSpend(spend, f, horizonDays);
  const alive = probabilityAlive(spend.params.bgnbd, f.rfm);
  return {
    userId: history.userId,
    status: 'ok',
    reason: null,
    churnProbability,
    expectedOrders: s.expectedOrders,
    predictedSpendCents: Math.round(s.spendCents),
    // Only for customers more likely active than not: a lapsed customer has no "next order" date.
    expectedNextOrderAt:
      alive >= 0.5 ? Math.round(now + medianDaysToNextPurchase(spend.params.bgnbd, f.rfm) * DAY_MS) : null,
    features,
    explanation: {
      churnAlgorithm: churn.algorithm,
      spendAlgorithm: spend.algorithm,
      probabilityAlive: alive,
      expectedOrderValueCents: Math.round(s.orderValue),
      drivers: drivers(churn, f, horizonDays),
    },
  };
}
