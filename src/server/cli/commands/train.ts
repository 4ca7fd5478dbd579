import { randomUUID } from 'node:crypto';
import { enqueueJob, getJob, runNextJob } from '../../modules/ml/jobs.ts';
import { type Command, parseOptions } from '../command.ts';

export const trainCommand: Command = {
  summary: 'Train the churn and spend models now (waits for a running trainer elsewhere)',
  usage: 'train',
  async run(args, { db, config, out }) {
    parseOptions(args, {});
    const jobId = await enqueueJob(db, 'cli');
    const owner = randomUUID();
    out.log(`Training job #${jobId}…`);
    for (;;) {
      // Another process may hold the trainer lease; then its trainer runs the job and we wait.
      await runNextJob({ db, config, owner, log: (m) => out.log(`  ${m}`) });
      const job = await getJob(db, jobId);
      if (job.status === 'done' || job.status === 'failed') {
        if (job.status === 'failed') throw new Error(`Training failed:\n${job.log}`);
        out.log(`Done. Model versions: ${job.modelIds.join(', ')}`);
        return;
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
  },
};
