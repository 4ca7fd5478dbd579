/**
 * Predictions and models in words a shop owner reads (issue 13): no algorithm ids, no log-odds.
 * Pure, tested beside it (words.test.ts).
 */

export interface PredictionFacts {
  status: 'ok' | 'insufficient_data';
  churnProbability: number | null;
  expectedOrders: number | null;
  predictedSpendCents: number | null;
  horizonDays: number;
  features: Record<string, number>;
}

const days = (n: number) => {
  const d = Math.round(n);
  return `${d} day${d === 1 ? '' : 's'}`;
};

/** "likely to churn" / "at risk" / "likely to order again", from the churn probability. */
export function riskWords(p: number | null): string {
  if (p === null) return 'not scored yet';
  if (p >= 0.7) return 'likely to churn';
  if (p >= 0.4) return 'at risk of churning';
  return 'likely to order again';
}

/** "usually orders every 30 days; last order 143 days ago; likely to churn". */
export function predictionSentence(p: PredictionFacts): string {
  const f = p.features;
  const parts: string[] = [];
  const repeats = f.frequency ?? 0;
  if (repeats > 0) {
    const span = (f.tenureDays ?? 0) - (f.recencyDays ?? 0);
    parts.push(`usually orders every ${days(Math.max(1, span / repeats))}`);
  } else if ((f.tenureDays ?? 0) > 0) {
    parts.push('has ordered once');
  }
  if ((f.tenureDays ?? 0) > 0) parts.push(`last order ${days(f.recencyDays ?? 0)} ago`);
  parts.push(riskWords(p.status === 'ok' ? p.churnProbability : null));
  return parts.join('; ');
}

const DRIVER_WORDS: Record<string, string> = {
  recencyDays: 'time since the last order',
  frequency: 'number of repeat orders',
  monetaryCents: 'usual order value',
  tenureDays: 'time as a customer',
  views: 'product views in the last 30 days',
  searches: 'searches in the last 30 days',
  favorites: 'favorites added in the last 30 days',
  cartAdds: 'items put in the cart in the last 30 days',
  abandonedCarts: 'carts left without ordering in the last 30 days',
  assistantUses: 'questions to the shopping assistant in the last 30 days',
  bgnbdNoPurchaseLogOdds: 'purchase rhythm compared with the time since the last order',
  bgnbdLogAlive: 'chance the customer is still active',
  bgnbdExpectedOrdersLog: 'orders expected from the purchase rhythm',
  viewsLog: 'product views in the last 30 days',
  searchesLog: 'searches in the last 30 days',
  cartAddsLog: 'items put in the cart in the last 30 days',
  favoritesLog: 'favorites added in the last 30 days',
  assistantUsesLog: 'questions to the shopping assistant in the last 30 days',
  engagedLast30Days: 'any visit in the last 30 days',
  frequencyLog: 'number of repeat orders',
  recencyMonths: 'time since the last order',
};

/** "Time since the last order raises the risk." for each driver, biggest first. */
export function driverSentences(
  drivers: Array<{ feature: string; effect: number | null; direction: string }>,
): string[] {
  return drivers.map((d) => {
    const what = DRIVER_WORDS[d.feature] ?? d.feature.replace(/([A-Z])/g, ' $1').toLowerCase();
    const how =
      d.effect === null
        ? d.direction
        : d.effect > 0
          ? 'raises the risk of churning'
          : 'lowers the risk of churning';
    return `${what.charAt(0).toUpperCase()}${what.slice(1)}: ${how}.`;
  });
}

const ALGORITHMS: Record<string, string> = {
  'logistic-l2': 'Logistic regression on purchases and browsing',
  bgnbd: 'BG/NBD purchase-rhythm model',
  'blend-logistic': 'Logistic regression on the purchase rhythm and browsing',
  'bgnbd-gamma-gamma': 'BG/NBD + Gamma-Gamma (purchase rhythm and order value)',
  'blend-linear': 'Regression on the purchase rhythm and browsing, with Gamma-Gamma order value',
};

/** A model's name as the console shows it: what it is, then its technical id. */
export const algorithmName = (algorithm: string) =>
  ALGORITHMS[algorithm] ? `${ALGORITHMS[algorithm]} (${algorithm})` : algorithm;

const TRIGGERS: Record<string, string> = {
  manual: 'started by an admin',
  schedule: 'scheduled',
  orders: 'after new orders',
  startup: 'at start-up',
  cli: 'from the command line',
  activation: 'rescoring after an activation',
};
export const triggerWords = (trigger: string) => TRIGGERS[trigger] ?? trigger;

/** A job log ("2026-12-01T20:00:01.000Z message" per line) as [time, message] rows. */
export function logLines(log: string): Array<{ time: string | null; message: string }> {
  return log
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) (.*)$/.exec(line);
      return m ? { time: m[1], message: m[2] } : { time: null, message: line };
    });
}

/** What a finished job did to the versions: "churn model #12 promoted; spend model #13 rejected". */
export function jobOutcome(
  modelIds: number[],
  models: Array<{ id: number; kind: string; status: string }>,
): string {
  const parts = modelIds.map((id) => {
    const m = models.find((x) => x.id === id);
    if (!m) return `version #${id}`;
    return `${m.kind} model #${id} ${m.status === 'rejected' ? 'rejected (not better than the active one)' : 'promoted'}`;
  });
  return parts.join('; ');
}
