import { useEffect, useRef, useState } from 'react';
import type { MlModel, MlStatus } from '../../../contract/ml.ts';
import {
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
import { JobPanel, RecentRuns, useJobEndNotices } from './ml/Jobs.tsx';
import { isChurn, isSpend } from './ml/metrics.ts';
import { Versions } from './ml/Versions.tsx';
import { algorithmName } from './ml/words.ts';

/** How many of the newest training jobs the page lists. */
const RECENT_JOBS = 10;

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
        {title}
        {model && (
          <>
            : <span data-testid={`active-${kind}-name`}>{algorithmName(model.algorithm)}</span>{' '}
            <span className="muted">#{model.id}</span>
          </>
        )}
      </h2>
      {!model ? (
        <p>No active {kind} model yet.</p>
      ) : (
        <>
          <p className="muted">
            Trained {formatDate(model.trainedAt)} on {model.rows} customers, checked on {model.holdoutRows}{' '}
            later ones · horizon {model.horizonDays} days
          </p>
          {model.card && (
            <p data-testid={`active-${kind}-regime`}>
              {model.card.regime === 'supervised'
                ? 'Learned from labelled history'
                : 'Fitted on all history, no labels'}
              : {model.card.reason}. {kind === 'churn' ? model.card.why.churn : model.card.why.spend}.
            </p>
          )}
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
        {models.data.length === 0 ? (
          <p>No versions yet.</p>
        ) : (
          <Versions models={models.data} onRescoring={setStartedJob} />
        )}
      </section>
    </div>
  );
}
