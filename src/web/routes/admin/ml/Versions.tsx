import type { MlModel } from '../../../../contract/ml.ts';
import { useActivateModel } from '../../../components/admin/api.ts';
import { formatNumber } from '../../../components/admin/ui.tsx';
import { useNotify } from '../../../components/Notifications.tsx';
import { formatDate, formatPrice } from '../../../format.ts';
import { isChurn, isSpend } from './metrics.ts';
import { algorithmName } from './words.ts';

/** Every stored version with its key metric beside the baseline's; Activate asks first. */
export function Versions({
  models,
  onRescoring,
}: {
  models: MlModel[];
  onRescoring: (jobId: number) => void;
}) {
  const activate = useActivateModel();
  const notify = useNotify();
  const onActivate = (m: MlModel) => {
    const active = models.find((x) => x.kind === m.kind && x.status === 'active');
    const question = `Make ${m.kind} model #${m.id} (${algorithmName(m.algorithm)}) the active one${active ? ` instead of #${active.id}` : ''}? Every customer's prediction is then recomputed with it.`;
    if (!window.confirm(question)) {
      notify.notify('info', `Model #${m.id} was not activated.`);
      return;
    }
    activate.mutate(m.id, {
      onSuccess: (r) => {
        onRescoring(r.rescoreJobId);
        notify.success(
          `Activated ${m.kind} model #${m.id}. Predictions are being recomputed in the background (job #${r.rescoreJobId}).`,
        );
      },
      onError: (e) => notify.failure(e, `Could not activate model #${m.id}.`),
    });
  };
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
              ? `AUC ${formatNumber(m.baselineMetrics.rocAuc)} · Brier ${formatNumber(m.baselineMetrics.brier)}`
              : isSpend(m.baselineMetrics)
                ? `Spend MAE ${formatPrice(Math.round(m.baselineMetrics.spendCents.mae))}`
                : '—';
            return (
              <tr key={m.id} data-testid="model-version" data-model-id={m.id} data-status={m.status}>
                <th scope="row">#{m.id}</th>
                <td>{m.kind}</td>
                <td>{algorithmName(m.algorithm)}</td>
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
