import type { MlModel } from '../../../contract/ml.ts';
import { notFound } from '../../app-error.ts';
import type { Db } from '../../db/database.ts';
import { enqueueJob } from './jobs.ts';
import { findModel, makeActive } from './queries/models.ts';
import { modelView } from './views.ts';

/**
 * Activating a version (rollback or manual promotion, decision 155): the switch is one
 * transaction; rescoring every customer with the new pair is queued as a job for the trainer's
 * worker thread, so the request answers at once with that job's id.
 */
export async function activateModel(db: Db, id: number): Promise<MlModel & { rescoreJobId: number }> {
  const row = await findModel(db, id);
  if (!row) throw notFound('Model');
  await makeActive(db, id, row.kind);
  const rescoreJobId = await enqueueJob(db, 'activation');
  return { ...modelView((await findModel(db, id))!), rescoreJobId };
}
