import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { ChurnMetricsView, MlJob, MlModel, MlStatus, SpendMetricsView } from '../../../contract/ml.ts';
import {
  adminKeys,
  isJobActive,
  useActivateModel,
  useMlJobs,
  useMlModels,
  useMlMonitoring,
  useMlStatus,
  useRetrain,
} from '../../components/admin/api.ts';
import {
  CalibrationChart,
  ChurnMetricHistoryChart,
  DataVolumeChart,
  DecileChart,
  RiskDistributionChart,
  SpendMetricHistoryChart,
} from '../../components/admin/charts.tsx';
import { formatNumber, formatPercent, QueryState } from '../../components/admin/ui.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { formatDate, formatPrice } from '../../format.ts';
import { usePageTitle } from '../usePageTitle.ts';

/** How many of the newest training jobs the page lists. */
const RECENT_JOBS = 10;

const isChurn = (m: MlModel['metrics']): m is ChurnMetricsView => 'brier' in m;
const isSpend = (m: MlModel['metrics']): m is SpendMetricsView => 'spendCents' in m;

function MetricRows({ model }: { model: MlModel }) {
  const m = model.metrics;
  const b = model.baselineMetrics;
  const rows: [string, string, string, string][] = [];
  if (isChurn(m) && isChurn(b)) {
    rows.push(
      ['ROC AUC', formatNumber(m.rocAuc), formatNumber(b.rocAuc), 'higher is better'],
      ['PR AUC', formatNumber(m.prAuc), formatNumber(b.prAuc), 'higher is better'],
      ['Brier score', formatNumber(m.brier), formatNumber(b.brier), 'lower is better'],
      ['Churn rate (holdout)', formatPercent(m.churnRate), formatPercent(b.churnRate), ''],
    );
  } else if (isSpend(m) && isSpend(b)) {
    rows.push(
      ['Orders MAE', formatNumber(m.orders.mae), formatNumber(b.orders.mae), 'lower is better'],
      ['Orders RMSE', formatNumber(m.orders.rmse), formatNumber(b.orders.rmse), 'lower is better'],
      [
        'Spend MAE',
        formatPrice(Math.round(m.spendCents.mae)),
        formatPrice(Math.round(b.spendCents.mae)),
        'lower is better',
      ],
      [
        'Spend RMSE',
        formatPrice(Math.round(m.spendCents.rmse)),
        formatPrice(Math.round(b.spendCents.rmse)),
        'lower is better',
      ],
      [
        'Spend bias',
        formatPercent(m.spendCents.bias),
        formatPercent(b.spendCents.bias),
        'closer to 0 is better',
      ],
    );
  }
  return (
    <table className="data-table metric-table">
      <thead>
        <tr>
          <th scope="col">Metric (holdout)</th>
          <th scope="col" className="num">
            Model
          </th>
          <th scope="col" className="num">
            Baseline
          </th>
          <th scope="col">
            <span className="visually-hidden">Note</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, model, baseline, note]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td className="num">{model}</td>
            <td className="num">{baseline}</td>
            <td className="muted">{note}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ActiveModel({ kind, model }: { kind: 'churn' | 'spend'; model: MlModel | undefined }) {
  const title = kind === 'churn' ? 'Churn model' : 'Spend model';
  return (
    <section className="panel" data-testid={`active-${kind}`} aria-label={`Active ${title.toLowerCase()}`}>
      <h2>
        {title} {model && <span className="muted">#{model.id}</span>}
      </h2>
      {!model ? (
        <p>No active {kind} model yet.</p>
      ) : (
        <>
          <p className="muted">
            {model.algorithm} · trained {formatDate(model.trainedAt)} on {model.rows} customers, checked on{' '}
            {model.holdoutRows} later ones · horizon {model.horizonDays} days
          </p>
          <MetricRows model={model} />
          <p className="muted">{model.decision}</p>
        </>
      )}
    </section>
  );
}

function DataStatus({ status }: { status: MlStatus }) {
  const d = status.data;
  return (
    <section className="panel" aria-labelledby="data-title">
      <h2 id="data-title">Training data</h2>
      <p>
        {d.customers} customers ({d.synthetic.customers} synthetic), {d.closedOrders} closed orders (
        {d.synthetic.closedOrders} synthetic), {d.events} behaviour events ({d.synthetic.events} synthetic).
      </p>
      <p className="muted">
        Last trained {formatDate(status.lastTrainedAt)} · next scheduled run{' '}
        {formatDate(status.nextScheduledAt)} · {status.newClosedOrdersSinceLastRun} new closed orders since
        the last run (a retrain starts after {status.retrainAfterOrders})
      </p>
      {!status.eligible && (
        <p className="callout callout--error" data-testid="insufficient-data">
          <strong>Not enough data to train.</strong> {status.reasonIfNot}
        </p>
      )}
      <a className="btn btn--ghost" href="/api/ml/dataset.csv" download>
        Download the training dataset (CSV)
      </a>
    </section>
  );
}

/**
 * Announces once, when it ends, every listed job seen queued or running, whatever started it, and
 * the job this admin started (watched from the start: it may be done before the list first shows
 * it). Models and charts then reload.
 */
function useJobEndNotices(jobs: MlJob[] | undefined, startedJob: number | null) {
  const notify = useNotify();
  const client = useQueryClient();
  const watching = useRef(new Set<number>());

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
      if (job.status === 'done') notify.success(`Training job #${job.id} finished.`);
      else notify.notify('error', `Training job #${job.id} failed. See its log.`);
    }
    if (ended) void client.invalidateQueries({ queryKey: adminKeys.all });
  }, [jobs, notify, client]);
}

/** The job this admin started while it runs, else the newest job, whatever started it. */
function JobPanel({
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
        Job #{job.id} ({job.trigger}) · <strong data-testid="job-status">{job.status}</strong> · queued{' '}
        {formatDate(job.createdAt)}
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
          {job.log}
        </pre>
      )}
    </div>
  );
}

function RecentRuns({
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
              <td>{job.trigger}</td>
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

function Versions({ models }: { models: MlModel[] }) {
  const activate = useActivateModel();
  const notify = useNotify();
  const onActivate = (m: MlModel) =>
    activate.mutate(m.id, {
      onSuccess: () => notify.success(`Activated ${m.kind} model #${m.id} (${m.algorithm}).`),
      onError: (e) => notify.failure(e, `Could not activate model #${m.id}.`),
    });
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="model-versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Kind</th>
            <th scope="col">Algorithm</th>
            <th scope="col">Status</th>
            <th scope="col">Trained</th>
            <th scope="col" className="num">
              Key metric
            </th>
            <th scope="col" className="num">
              Baseline
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => {
            const metric = isChurn(m.metrics)
              ? `AUC ${formatNumber(m.metrics.rocAuc)} · Brier ${formatNumber(m.metrics.brier)}`
              : isSpend(m.metrics)
                ? `Spend MAE ${formatPrice(Math.round(m.metrics.spendCents.mae))}`
                : '—';
            const baseline = isChurn(m.baselineMetrics)
              ? `Brier ${formatNumber(m.baselineMetrics.brier)}`
              : isSpend(m.baselineMetrics)
                ? `${formatPrice(Math.round(m.baselineMetrics.spendCents.mae))}`
                : '—';
            return (
              <tr key={m.id} data-testid="model-version" data-model-id={m.id} data-status={m.status}>
                <th scope="row">#{m.id}</th>
                <td>{m.kind}</td>
                <td>{m.algorithm}</td>
                <td>
                  <span className={`pill pill--${m.status}`}>{m.status}</span>
                </td>
                <td>{formatDate(m.trainedAt)}</td>
                <td className="num">{metric}</td>
                <td className="num">{baseline}</td>
                <td>
                  {m.status !== 'active' && (
                    <button
                      type="button"
                      className="btn btn--ghost btn--small"
                      onClick={() => onActivate(m)}
                      disabled={activate.isPending}
                      aria-label={`Activate model ${m.id}`}
                    >
                      Activate
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function Models() {
  usePageTitle('Admin models');
  const status = useMlStatus();
  const models = useMlModels();
  const monitoring = useMlMonitoring();
  const retrain = useRetrain();
  const notify = useNotify();
  const jobs = useMlJobs(RECENT_JOBS);
  // Only for this page's life: after a reload the list's newest job is shown and, if it still
  // runs, announced when it ends like any other.
  const [startedJob, setStartedJob] = useState<number | null>(null);
  useJobEndNotices(jobs.data, startedJob);

  // Said once per outage, not on every failed poll.
  const jobsError = jobs.error;
  const jobsErrorShown = useRef(false);
  useEffect(() => {
    if (!jobsError) {
      jobsErrorShown.current = false;
      return;
    }
    if (jobsErrorShown.current) return;
    jobsErrorShown.current = true;
    notify.notify('error', `Could not load the recent training runs. ${jobsError.message}`);
  }, [jobsError, notify]);

  const onRetrain = () =>
    retrain.mutate(undefined, {
      onSuccess: (r) => {
        setStartedJob(r.jobId);
        notify.success(`Training job #${r.jobId} queued.`);
      },
      onError: (e) => notify.failure(e, 'Could not start training.'),
    });

  if (!status.data || !models.data || !monitoring.data) {
    const error = status.error ?? models.error ?? monitoring.error;
    return <QueryState error={error} isPending={!error} />;
  }
  const active = (kind: 'churn' | 'spend') =>
    models.data.find((m) => m.kind === kind && m.status === 'active');
  const activeChurn = active('churn');
  const calibration = activeChurn && isChurn(activeChurn.metrics) ? activeChurn.metrics.calibration : [];
  const history = monitoring.data.metricHistory;
  const distribution = monitoring.data.predictionDistribution;

  return (
    <div>
      <div className="page-head">
        <h1>Models</h1>
        <button type="button" className="btn btn--primary" onClick={onRetrain} disabled={retrain.isPending}>
          Retrain
        </button>
      </div>
      <DataStatus status={status.data} />
      <section className="panel" aria-labelledby="job-title">
        <h2 id="job-title">Training job</h2>
        <JobPanel jobs={jobs.data} error={jobs.error} startedJob={startedJob} />
        <RecentRuns
          jobs={jobs.data}
          error={jobs.error}
          onRetry={() => void jobs.refetch()}
          retrying={jobs.isFetching}
        />
      </section>
      <div className="admin-columns">
        <ActiveModel kind="churn" model={activeChurn} />
        <ActiveModel kind="spend" model={active('spend')} />
      </div>
      <section className="panel charts" aria-label="Model monitoring charts">
        {history.churn.length > 0 ? (
          <ChurnMetricHistoryChart history={history.churn} />
        ) : (
          <p>No churn model has been trained yet.</p>
        )}
        {history.spend.length > 0 && <SpendMetricHistoryChart history={history.spend} />}
        {calibration.length > 0 && <CalibrationChart bins={calibration} />}
        {calibration.length > 0 && <DecileChart bins={calibration} />}
        {distribution.total - distribution.insufficientData > 0 ? (
          <RiskDistributionChart histogram={distribution.churnProbability} />
        ) : (
          <p>No customer has been scored yet.</p>
        )}
        {distribution.insufficientData > 0 && (
          <p className="muted">
            {distribution.insufficientData} of {distribution.total} customers have too little history to
            score.
          </p>
        )}
        {monitoring.data.dataVolume.length > 0 && <DataVolumeChart volume={monitoring.data.dataVolume} />}
      </section>
      <section className="panel" aria-labelledby="versions-title">
        <h2 id="versions-title">Versions</h2>
        {models.data.length === 0 ? <p>No versions yet.</p> : <Versions models={models.data} />}
      </section>
    </div>
  );
}
