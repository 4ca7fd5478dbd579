import type { ChurnMetricsView, MlModel, SpendMetricsView } from '../../../../contract/ml.ts';

export const isChurn = (m: MlModel['metrics']): m is ChurnMetricsView => 'brier' in m;
export const isSpend = (m: MlModel['metrics']): m is SpendMetricsView => 'spendCents' in m;
