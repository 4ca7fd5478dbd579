import type { ReactNode } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { AdminOverview } from '../../../contract/admin.ts';
import type { MlMonitoring } from '../../../contract/ml.ts';
import { formatPrice } from '../../format.ts';
import { formatNumber, formatPercent } from './ui.tsx';

// Brand colours from styles.css; Recharts needs literal values for SVG attributes.
const BRAND = '#0f5c4d';
const ACCENT = '#d9961a';
const MUTED = '#8a93a3';
const DANGER = '#b42318';

/** Every chart has a caption for screen readers and a test id; animations off for stable output. */
export function ChartFrame({
  title,
  description,
  testId,
  children,
  height = 260,
}: {
  title: string;
  description?: ReactNode;
  testId: string;
  children: ReactNode;
  height?: number;
}) {
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>
        <h3 className="chart__title">{title}</h3>
        {description && <p className="muted chart__description">{description}</p>}
      </figcaption>
      <div style={{ width: '100%', height }}>
        <ResponsiveContainer width="100%" height="100%">
          {children as React.ReactElement}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

const dollars = (cents: number) => formatPrice(cents);
// Legend labels in body text colour: series colours such as the pale bars are too faint for text.
const legendLabel = (value: string) => <span style={{ color: '#1d2330' }}>{value}</span>;
const shortDay = (date: string) => date.slice(5);

export function RevenueChart({ days }: { days: AdminOverview['days'] }) {
  return (
    <ChartFrame
      title="Revenue and orders, last 30 days"
      description="Closed orders per UTC day: revenue (line, left axis) and order count (bars, right axis)."
      testId="revenue-chart"
    >
      <ComposedChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="date" tickFormatter={shortDay} minTickGap={16} />
        <YAxis yAxisId="revenue" tickFormatter={(v: number) => dollars(v)} width={80} />
        <YAxis yAxisId="orders" orientation="right" allowDecimals={false} width={40} />
        <Tooltip formatter={(value, name) => (name === 'Revenue' ? dollars(Number(value)) : String(value))} />
        <Legend formatter={legendLabel} />
        <Bar yAxisId="orders" dataKey="orders" name="Orders" fill="#cfe6df" isAnimationActive={false} />
        <Line
          yAxisId="revenue"
          dataKey="revenueCents"
          name="Revenue"
          stroke={BRAND}
          strokeWidth={2}
          dot={{ r: 2 }}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ChartFrame>
  );
}

type History = MlMonitoring['metricHistory'];

export function ChurnMetricHistoryChart({ history }: { history: History['churn'] }) {
  const data = history.map((h) => ({ ...h, version: `#${h.modelId}` }));
  return (
    <ChartFrame
      title="Churn model metrics across versions"
      description="ROC AUC and PR AUC (higher is better), Brier score beside the base-rate baseline's (lower is better)."
      testId="churn-history-chart"
    >
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="version" />
        <YAxis domain={[0, 1]} />
        <Tooltip formatter={(value) => formatNumber(Number(value))} />
        <Legend formatter={legendLabel} />
        <Line dataKey="rocAuc" name="ROC AUC" stroke={BRAND} strokeWidth={2} isAnimationActive={false} />
        <Line dataKey="prAuc" name="PR AUC" stroke={ACCENT} strokeWidth={2} isAnimationActive={false} />
        <Line dataKey="brier" name="Brier" stroke={DANGER} strokeWidth={2} isAnimationActive={false} />
        <Line
          dataKey="baselineBrier"
          name="Brier (baseline)"
          stroke={MUTED}
          strokeDasharray="5 4"
          isAnimationActive={false}
        />
      </LineChart>
    </ChartFrame>
  );
}

export function SpendMetricHistoryChart({ history }: { history: History['spend'] }) {
  const data = history.map((h) => ({ ...h, version: `#${h.modelId}` }));
  return (
    <ChartFrame
      title="Spend model error across versions"
      description="Mean absolute error of predicted spend per customer beside the historical-rate baseline's (lower is better)."
      testId="spend-history-chart"
    >
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="version" />
        <YAxis tickFormatter={(v: number) => dollars(v)} width={80} />
        <Tooltip formatter={(value) => dollars(Number(value))} />
        <Legend formatter={legendLabel} />
        <Line
          dataKey="spendMaeCents"
          name="Spend MAE"
          stroke={BRAND}
          strokeWidth={2}
          isAnimationActive={false}
        />
        <Line
          dataKey="baselineSpendMaeCents"
          name="Spend MAE (baseline)"
          stroke={MUTED}
          strokeDasharray="5 4"
          isAnimationActive={false}
        />
      </LineChart>
    </ChartFrame>
  );
}

interface Bin {
  from: number;
  to: number;
  count: number;
  meanPredicted: number | null;
  observedRate: number | null;
}

export function CalibrationChart({ bins }: { bins: Bin[] }) {
  const data = bins.filter((b) => b.count > 0 && b.meanPredicted !== null && b.observedRate !== null);
  return (
    <ChartFrame
      title="Calibration of the active churn model"
      description="Mean predicted churn probability against the observed churn rate on the holdout, per probability band. The dashed diagonal is perfect calibration."
      testId="calibration-chart"
    >
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="meanPredicted"
          type="number"
          domain={[0, 1]}
          tickFormatter={(v: number) => formatPercent(v)}
          label={{ value: 'Predicted', position: 'insideBottom', offset: -8 }}
        />
        <YAxis domain={[0, 1]} tickFormatter={(v: number) => formatPercent(v)} />
        <Tooltip
          formatter={(value) => formatPercent(Number(value))}
          labelFormatter={(v) => `Predicted ${formatPercent(Number(v))}`}
        />
        <ReferenceLine
          segment={[
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ]}
          stroke={MUTED}
          strokeDasharray="5 4"
          ifOverflow="extendDomain"
        />
        <Line
          dataKey="observedRate"
          name="Observed churn rate"
          stroke={BRAND}
          strokeWidth={2}
          dot={{ r: 4 }}
          isAnimationActive={false}
        />
      </LineChart>
    </ChartFrame>
  );
}

export function DecileChart({ bins }: { bins: Bin[] }) {
  const data = bins.map((b) => ({
    band: `${Math.round(b.from * 100)}–${Math.round(b.to * 100)}%`,
    predicted: b.meanPredicted,
    actual: b.observedRate,
    count: b.count,
  }));
  return (
    <ChartFrame
      title="Predicted vs actual churn by decile"
      description="Holdout customers grouped into ten bands of predicted churn probability: mean prediction beside the share who actually churned."
      testId="decile-chart"
    >
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="band" interval={0} tick={{ fontSize: 11 }} />
        <YAxis domain={[0, 1]} tickFormatter={(v: number) => formatPercent(v)} />
        <Tooltip formatter={(value) => formatPercent(Number(value))} />
        <Legend formatter={legendLabel} />
        <Bar dataKey="predicted" name="Predicted" fill={ACCENT} isAnimationActive={false} />
        <Bar dataKey="actual" name="Actual" fill={BRAND} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}

export function RiskDistributionChart({
  histogram,
}: {
  histogram: MlMonitoring['predictionDistribution']['churnProbability'];
}) {
  const data = histogram.map((h) => ({
    band: `${Math.round(h.from * 100)}–${Math.round(h.to * 100)}%`,
    count: h.count,
  }));
  return (
    <ChartFrame
      title="Churn-risk distribution"
      description="Scored customers per band of churn probability."
      testId="risk-distribution-chart"
    >
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="band" interval={0} tick={{ fontSize: 11 }} />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Bar dataKey="count" name="Customers" fill={BRAND} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}

export function DataVolumeChart({ volume }: { volume: MlMonitoring['dataVolume'] }) {
  return (
    <ChartFrame
      title="Data volume over time"
      description="Closed orders (bars, left axis) and behaviour events (line, right axis) per month."
      testId="data-volume-chart"
    >
      <ComposedChart data={volume} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="month" minTickGap={12} />
        <YAxis yAxisId="orders" allowDecimals={false} />
        <YAxis yAxisId="events" orientation="right" allowDecimals={false} width={56} />
        <Tooltip />
        <Legend formatter={legendLabel} />
        <Bar
          yAxisId="orders"
          dataKey="closedOrders"
          name="Closed orders"
          fill={BRAND}
          isAnimationActive={false}
        />
        <Line
          yAxisId="events"
          dataKey="events"
          name="Events"
          stroke={ACCENT}
          strokeWidth={2}
          dot={{ r: 2 }}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ChartFrame>
  );
}
