import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/database.ts';
import type { MlConfig } from './context.ts';
import { DAY_MS, ENGAGEMENT_WINDOW_DAYS, FEATURE_NAMES, featuresAt, labelsAfter } from './features.ts';
import { windowsFor } from './pipeline.ts';
import { externalIds, loadHistories } from './queries/histories.ts';
import { isoNow } from './views.ts';

const dollars = (cents: number) => (cents / 100).toFixed(2);

/**
 * The training dataset as CSV: one row per customer and cutoff (the training window and the
 * holdout), features before the cutoff and labels after it. Money in dollars (decision 047);
 * customer_id is the shop's own id for imported customers (decision 151), else the user id.
 */
export async function datasetCsv(db: Db, config: MlConfig, now = Date.now()): Promise<string> {
  const H = config.ML_HORIZON_DAYS;
  const w = windowsFor(now, H);
  const histories = await loadHistories(db, { eventsSince: w.trainCutoff - ENGAGEMENT_WINDOW_DAYS * DAY_MS });
  const header = [
    'customer_id',
    'window',
    'cutoff',
    'horizon_days',
    ...FEATURE_NAMES.map((f) => (f === 'monetaryCents' ? 'monetary' : snake(f))),
    'churned',
    'orders',
    'spend',
  ];
  const shopIds = await externalIds(db);
  const rows: Array<Array<string | number>> = [];
  for (const [window, cutoff] of [
    ['train', w.trainCutoff],
    ['holdout', w.holdoutCutoff],
  ] as const) {
    for (const h of histories) {
      const f = featuresAt(h, cutoff);
      if (!f.eligible) continue;
      const y = labelsAfter(h, cutoff, H);
      const values = FEATURE_NAMES.map((name) =>
        name === 'monetaryCents' ? dollars(f.features[name]) : round4(f.features[name]),
      );
      rows.push([
        shopIds.get(h.userId) ?? h.userId,
        window,
        isoNow(cutoff),
        H,
        ...values,
        y.churned,
        y.orders,
        dollars(y.spendCents),
      ]);
    }
  }
  return stringify(rows, { header: true, columns: header, record_delimiter: 'unix' });
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const round4 = (v: number) => String(Math.round(v * 10_000) / 10_000);
