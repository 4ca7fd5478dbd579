import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  activationSchema,
  customerListQuerySchema,
  customerListSchema,
  customerPredictionDetailSchema,
  jobListQuerySchema,
  mlJobSchema,
  mlModelSchema,
  mlMonitoringSchema,
  mlStatusSchema,
} from '../../../contract/ml.ts';
import { idSegment } from '../../http/params.ts';
import { routeGroup } from '../../http/route-kit.ts';
import type { ModuleDeps } from '../../module-deps.ts';
import { datasetCsv } from './dataset.ts';
import { enqueueJob, getJob, listJobs } from './jobs.ts';
import { getMonitoring } from './monitoring.ts';
import { getCustomerPrediction, listCustomerPredictions } from './predictions.ts';
import { getStatus } from './status.ts';
import type { Trainer } from './trainer.ts';
import { activateModel } from './activation.ts';
import { getModels } from './training.ts';

const idParams = z.object({ id: idSegment });
const userIdParams = z.object({ userId: idSegment });

/**
 * The ML API (admin only). Served by the app and by the standalone ML service; the process's
 * trainer (started beside the routes, see `startMlBackground`) is woken when a run is queued here.
 */
export async function registerMlRoutes(
  app: FastifyInstance,
  deps: Pick<ModuleDeps, 'db' | 'config'> & { trainer: Trainer | null },
) {
  const { trainer } = deps;

  const common = { tags: ['ml'] };

  await routeGroup(app, 'admin', (r) => {
    r.get(
      '/api/ml/status',
      {
        schema: {
          ...common,
          summary: 'Models, data volume and training eligibility',
          response: { 200: mlStatusSchema },
        },
      },
      async () => getStatus(deps.db, deps.config),
    );

    r.get(
      '/api/ml/models',
      {
        schema: {
          ...common,
          summary: 'Every model version, newest first',
          response: { 200: z.array(mlModelSchema) },
        },
      },
      async () => getModels(deps.db),
    );

    r.post(
      '/api/ml/models/:id/activate',
      {
        schema: {
          ...common,
          summary: 'Activate a version (rollback or manual promotion)',
          params: idParams,
          response: { 200: activationSchema },
        },
      },
      async (request) => {
        const model = await activateModel(deps.db, request.params.id);
        trainer?.wake();
        return model;
      },
    );

    r.post(
      '/api/ml/retrain',
      {
        schema: {
          ...common,
          summary: 'Queue a training run',
          response: { 202: z.object({ jobId: z.number().int() }) },
        },
      },
      async (_request, reply) => {
        const jobId = await enqueueJob(deps.db, 'manual');
        trainer?.wake();
        return reply.code(202).send({ jobId });
      },
    );

    r.get(
      '/api/ml/jobs',
      {
        schema: {
          ...common,
          summary: 'The newest training jobs, whatever started them',
          querystring: jobListQuerySchema,
          response: { 200: z.array(mlJobSchema) },
        },
      },
      async (request) => listJobs(deps.db, request.query.limit),
    );

    r.get(
      '/api/ml/jobs/:id',
      {
        schema: { ...common, summary: 'A training job', params: idParams, response: { 200: mlJobSchema } },
      },
      async (request) => getJob(deps.db, request.params.id),
    );

    r.get(
      '/api/ml/customers',
      {
        schema: {
          ...common,
          summary: 'Customer predictions, paged',
          querystring: customerListQuerySchema,
          response: { 200: customerListSchema },
        },
      },
      async (request) => listCustomerPredictions(deps.db, request.query),
    );

    r.get(
      '/api/ml/customers/:userId',
      {
        schema: {
          ...common,
          summary: 'One customer prediction with its explanation',
          params: userIdParams,
          response: { 200: customerPredictionDetailSchema },
        },
      },
      async (request) => getCustomerPrediction(deps.db, deps.config, request.params.userId),
    );

    r.get(
      '/api/ml/monitoring',
      {
        schema: {
          ...common,
          summary: 'Metric history, prediction distribution, data volume, feature drift',
          response: { 200: mlMonitoringSchema },
        },
      },
      async () => getMonitoring(deps.db),
    );

    r.get(
      '/api/ml/dataset.csv',
      {
        schema: {
          ...common,
          summary: 'The training dataset (features and labels) as CSV',
          produces: ['text/csv'],
        },
      },
      async (_request, reply) =>
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="cartwise-ml-dataset.csv"')
          .send(await datasetCsv(deps.db, deps.config)),
    );
  });
}
