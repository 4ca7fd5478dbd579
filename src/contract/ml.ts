import { z } from 'zod';

/** The ML API's shapes (API.md, "Machine learning"), shared by the server and the admin console. */

export const mlKindSchema = z.enum(['churn', 'spend']);
export type MlKind = z.infer<typeof mlKindSchema>;
export const mlModelStatusSchema = z.enum(['active', 'candidate', 'retired', 'rejected']);

export const calibrationBinSchema = z.object({
  from: z.number(),
  to: z.number(),
  count: z.number().int(),
  meanPredicted: z.number().nullable(),
  observedRate: z.number().nullable(),
});

export const churnMetricsSchema = z.object({
  customers: z.number().int(),
  churnRate: z.number(),
  rocAuc: z.number().nullable(),
  prAuc: z.number().nullable(),
  brier: z.number(),
  calibration: z.array(calibrationBinSchema),
});
export type ChurnMetricsView = z.infer<typeof churnMetricsSchema>;

export const regressionMetricsSchema = z.object({
  customers: z.number().int(),
  mae: z.number(),
  rmse: z.number(),
  bias: z.number().nullable().describe('(Σ predicted − Σ actual) / Σ actual'),
  actualTotal: z.number(),
  predictedTotal: z.number(),
});

export const spendMetricsSchema = z.object({
  orders: regressionMetricsSchema,
  spendCents: regressionMetricsSchema,
});
export type SpendMetricsView = z.infer<typeof spendMetricsSchema>;

/** Churn metrics also list every churn candidate evaluated on the same holdout. */
export const modelMetricsSchema = z.union([
  churnMetricsSchema.extend({ alternatives: z.record(z.string(), churnMetricsSchema).optional() }),
  spendMetricsSchema,
]);

const comparisonSchema = z.object({
  name: z.string(),
  rocAuc: z.number().nullable(),
  brier: z.number().nullable(),
  ordersRmse: z.number().nullable(),
  spendRmseCents: z.number().nullable(),
});

export const modelCardSchema = z.object({
  regime: z.enum(['supervised', 'likelihood-only']),
  reason: z.string(),
  horizonDays: z.number().int(),
  folds: z.array(z.object({ cutoff: z.string(), customers: z.number().int() })),
  comparison: z.object({ churn: z.array(comparisonSchema), spend: z.array(comparisonSchema) }),
  why: z.object({ churn: z.string(), spend: z.string() }),
});
export type ModelCardView = z.infer<typeof modelCardSchema>;

export const mlModelSchema = z.object({
  id: z.number().int(),
  kind: mlKindSchema,
  algorithm: z.string(),
  status: mlModelStatusSchema,
  metrics: modelMetricsSchema.describe('Measured on the later holdout'),
  baselineMetrics: modelMetricsSchema.describe('Base rate (churn) or historical-rate extrapolation (spend)'),
  decision: z.string().describe('Why the version was promoted or rejected'),
  params: z.record(z.string(), z.unknown()),
  features: z.array(z.string()),
  trainedAt: z.string(),
  activatedAt: z.string().nullable(),
  cutoff: z.string().describe('Training features are from before this instant'),
  holdoutCutoff: z.string(),
  dataEnd: z.string(),
  horizonDays: z.number().int(),
  rows: z.number().int(),
  holdoutRows: z.number().int(),
  dataHash: z.string(),
  jobId: z.number().int().nullable(),
  card: modelCardSchema
    .nullable()
    .describe('Regime and why, and the rolling-origin comparison (null before it existed)'),
});
export type MlModel = z.infer<typeof mlModelSchema>;

export const activationSchema = mlModelSchema.extend({
  rescoreJobId: z
    .number()
    .int()
    .describe('The job recomputing every customer prediction with the new active pair, in the background'),
});

export const mlStatusSchema = z.object({
  activeModels: z.array(mlModelSchema.pick({ id: true, kind: true, algorithm: true, trainedAt: true })),
  lastTrainedAt: z.string().nullable(),
  nextScheduledAt: z.string().nullable(),
  data: z.object({
    customers: z.number().int(),
    closedOrders: z.number().int(),
    events: z.number().int(),
    synthetic: z.object({
      customers: z.number().int(),
      closedOrders: z.number().int(),
      events: z.number().int(),
    }),
  }),
  newClosedOrdersSinceLastRun: z.number().int(),
  retrainAfterOrders: z.number().int(),
  horizonDays: z.number().int(),
  eligible: z.boolean(),
  reasonIfNot: z.string().nullable(),
});
export type MlStatus = z.infer<typeof mlStatusSchema>;

export const mlJobSchema = z.object({
  id: z.number().int(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  trigger: z.string(),
  progress: z.number(),
  log: z.string(),
  modelIds: z.array(z.number().int()),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type MlJob = z.infer<typeof mlJobSchema>;

export const customerPredictionSchema = z.object({
  userId: z.number().int(),
  username: z.string(),
  name: z.string().describe('First and last name'),
  email: z.string(),
  externalId: z.string().nullable().describe("The customer's id in the shop's own system (import-orders)"),
  isSynthetic: z.boolean(),
  status: z.enum(['ok', 'insufficient_data']).describe('insufficient_data: no numbers are made up'),
  reason: z.string().nullable(),
  churnProbability: z.number().nullable(),
  expectedOrders: z.number().nullable(),
  predictedSpendCents: z.number().int().nullable(),
  expectedNextOrderAt: z.string().nullable(),
  horizonDays: z.number().int(),
  computedAt: z.string(),
});
export type CustomerPrediction = z.infer<typeof customerPredictionSchema>;

export const predictionExplanationSchema = z.object({
  churnAlgorithm: z.string(),
  spendAlgorithm: z.string(),
  probabilityAlive: z.number(),
  expectedOrderValueCents: z.number().int(),
  drivers: z.array(
    z.object({
      feature: z.string(),
      value: z.number(),
      effect: z.number().nullable().describe('Contribution to the churn log-odds (logistic model)'),
      direction: z.string(),
    }),
  ),
});

export const customerPredictionDetailSchema = customerPredictionSchema.extend({
  churnModelId: z.number().int().nullable(),
  spendModelId: z.number().int().nullable(),
  features: z.record(z.string(), z.number()),
  explanation: predictionExplanationSchema.nullable(),
});
export type CustomerPredictionDetail = z.infer<typeof customerPredictionDetailSchema>;

export const CUSTOMER_SORT_FIELDS = [
  'churnProbability',
  'expectedOrders',
  'predictedSpendCents',
  'expectedNextOrderAt',
  'horizonDays',
  'computedAt',
  'userId',
] as const;
export const customerSortSchema = z.enum([
  ...CUSTOMER_SORT_FIELDS,
  ...CUSTOMER_SORT_FIELDS.map((f) => `-${f}` as `-${(typeof CUSTOMER_SORT_FIELDS)[number]}`),
]);

const count = (max: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/, 'Must be a whole number ≥ 0')
    .transform(Number)
    .pipe(z.number().min(1, 'Must be at least 1').max(max, `Must be at most ${max}`));

export const jobListQuerySchema = z.object({
  limit: count(50).default(10).describe('How many of the newest jobs (1–50)'),
});

export const customerListQuerySchema = z.object({
  sort: customerSortSchema.default('-churnProbability').describe('Any numeric field; "-" for descending'),
  status: z.enum(['ok', 'insufficient_data']).optional(),
  q: z
    .string()
    .trim()
    .max(100, 'At most 100 characters')
    .optional()
    .describe('Search by name, e-mail, username or the shop’s own customer id'),
  synthetic: z
    .enum(['include', 'exclude', 'only'])
    .default('include')
    .describe('Declared-synthetic (simulated) customers: shown, left out, or only them'),
  page: count(1_000_000).default(1),
  pageSize: count(100).default(24),
});

export const customerListSchema = z.object({
  items: z.array(customerPredictionSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});

const histogramSchema = z.array(z.object({ from: z.number(), to: z.number(), count: z.number().int() }));

export const mlMonitoringSchema = z.object({
  metricHistory: z.object({
    churn: z.array(
      z.object({
        modelId: z.number().int(),
        trainedAt: z.string(),
        status: mlModelStatusSchema,
        algorithm: z.string(),
        rocAuc: z.number().nullable(),
        prAuc: z.number().nullable(),
        brier: z.number(),
        baselineBrier: z.number(),
        customers: z.number().int(),
      }),
    ),
    spend: z.array(
      z.object({
        modelId: z.number().int(),
        trainedAt: z.string(),
        status: mlModelStatusSchema,
        algorithm: z.string(),
        ordersMae: z.number(),
        spendMaeCents: z.number(),
        baselineOrdersMae: z.number(),
        baselineSpendMaeCents: z.number(),
        spendBias: z.number().nullable(),
        customers: z.number().int(),
      }),
    ),
  }),
  predictionDistribution: z.object({
    total: z.number().int(),
    insufficientData: z.number().int(),
    churnProbability: histogramSchema,
    predictedSpendCents: histogramSchema,
  }),
  dataVolume: z.array(
    z.object({
      month: z.string(),
      closedOrders: z.number().int(),
      revenueCents: z.number().int(),
      events: z.number().int(),
    }),
  ),
  featureDrift: z.object({
    referenceModelId: z.number().int().nullable(),
    features: z.array(
      z.object({
        feature: z.string(),
        trainingMean: z.number(),
        trainingStd: z.number(),
        currentMean: z.number(),
        currentStd: z.number(),
        shift: z.number().describe('(current mean − training mean) / training std'),
      }),
    ),
  }),
});
export type MlMonitoring = z.infer<typeof mlMonitoringSchema>;
