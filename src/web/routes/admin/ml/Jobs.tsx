import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import type { MlJob } from '../../../../contract/ml.ts';
import { api, unwrap } from '../../../api/client.ts';
import { adminKeys, isJobActive } from '../../../components/admin/api.ts';
import { formatPercent, QueryState } from '../../../components/admin/ui.tsx';
import { useNotify } from '../../../components/Notifications.tsx';
import { formatDate } from '../../../format.ts';
import { jobOutcome, logLines, triggerWords } from './words.ts';

/** The Models page's training and rescoring jobs: the current one with its log, the recent runs. */

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/**
 * Announces once, when it ends, every listed job seen queued or running, whatever started it, and
 * the job this admin started (watched from the start: it may be done before the list first shows
 * it). Models and charts then reload.
 */
export function useJobEndNotices(jobs: MlJob[] | undefined, startedJob: number | null) {
  const notify = useNotify();
  const client = useQueryClient();
  const watching = useRef(new Set<number>());
  // Says what the run did: which versions were promoted or rejected, or that rescoring is done.
  const announce = useCallback(
    async (job: MlJob) => {
      const what = job.trigger === 'activation' ? 'Rescoring job' : 'Training job';
      if (job.status !== 'done') {
        notify.notify('error', `${what} #${job.id} failed. See its log.`);
        return;
      }
      if (job.trigger === 'activation') {
        notify.success(`Rescoring job #${job.id} finished: every prediction now uses the active models.`);
        return;
      }
      try {
        const models = await unwrap(api.GET('/api/ml/models'));
        notify.success(
          `Training job #${job.id} finished. ${capitalize(jobOutcome(job.modelIds, models) || 'no version stored')}.`,
        );
      } catch {
        notify.success(`Training job #${job.id} finished.`);
      }
    },
    [notify],
  );

  useEffect(() => {
    if (startedJob !== null) watching.current.add(startedJob);
  }, [startedJob]);

  useEffect(() => {
    let ended = false;
    for (const job of jobs ?? []) {
      if (isJobActive(job)) {
        watching.current.add(job.id);
        continue;
      }
      if (!watching.current.delete(job.id)) continue;
      ended = true;
      void announce(job);
    }
    if (ended) void client.invalidateQueries({ queryKey: adminKeys.all });
  }, [jobs, client, announce]);
}

/** The job this admin started while it runs, else the newest job, whatever started it. */
export function JobPanel({
  jobs,
  error,
  startedJob,
}: {
  jobs: MlJob[] | undefined;
  error: Error | null;
  startedJob: number | null;
}) {
  if (!jobs)
    return error ? <QueryState error={error} isPending={false} /> : <p className="loading">Loading…</p>;
  const started = jobs.find((j) => j.id === startedJob);
  // The list has not caught up with the job just started yet: no older job in its place.
  if (startedJob !== null && !started && (jobs[0]?.id ?? 0) < startedJob)
    return <p className="loading">Loading…</p>;
  const job = started && isJobActive(started) ? started : jobs[0];
  if (!job) return <p className="muted">No training job yet: press Retrain to start one.</p>;
  return (
    <div data-testid="ml-job">
      <p>
        Job #{job.id} ({triggerWords(job.trigger)}) · <strong data-testid="job-status">{job.status}</strong> ·
        queued {formatDate(job.createdAt)}
        {job.finishedAt && <> · finished {formatDate(job.finishedAt)}</>}
      </p>
      <progress max={1} value={job.progress} aria-label={`Training progress of job ${job.id}`}>
        {formatPercent(job.progress)}
      </progress>{' '}
      {formatPercent(job.progress)}
      {job.log && (
        // A long log scrolls: the keyboard must reach it too (axe: scrollable-region-focusable).
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region has to be focusable
        <pre className="job-log" data-testid="job-log" tabIndex={0}>
          {logLines(job.log)
            .map((line) =>
              line.time ? `${clock.format(new Date(line.time))}  ${line.message}` : line.message,
            )
            .join('\n')}
        </pre>
      )}
    </div>
  );
}

export function RecentRuns({
  jobs,
  error,
  onRetry,
  retrying,
}: {
  jobs: MlJob[] | undefined;
  error: Error | null;
  onRetry: () => void;
  retrying: boolean;
}) {
  if (!jobs) {
    if (!error) return <p className="loading">Loading recent training runs…</p>;
    return (
      <p>
        The recent training runs could not be loaded.{' '}
        <button type="button" className="btn btn--ghost btn--small" onClick={onRetry} disabled={retrying}>
          Try again
        </button>
      </p>
    );
  }
  if (jobs.length === 0)
    return (
      <p className="muted" data-testid="recent-jobs-empty">
        No training runs yet.
      </p>
    );
  return (
    <div className="table-wrap recent-jobs">
      <table className="data-table" data-testid="recent-jobs">
        <caption>Recent training runs</caption>
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Trigger</th>
            <th scope="col">Status</th>
            <th scope="col">Queued</th>
            <th scope="col">Finished</th>
            <th scope="col">Versions</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <tr key={job.id} data-testid="recent-job" data-job-id={job.id}>
              <th scope="row">#{job.id}</th>
              <td>{triggerWords(job.trigger)}</td>
              <td>
                <span className={`pill pill--job-${job.status}`}>{job.status}</span>
              </td>
              <td>{formatDate(job.createdAt)}</td>
              <td>{formatDate(job.finishedAt)}</td>
              <td>{job.modelIds.length > 0 ? job.modelIds.map((id) => `#${id}`).join(', ') : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
