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

interface FrameProps {
  title: string;
  description?: ReactNode;
  testId: string;
}

/** Every chart has a caption for screen readers and a test id; animations off for stable output. */
export function ChartFrame({
  title,
  description,
  testId,
  children,
  height = 260,
}: FrameProps & { children: ReactNode; height?: number }) {
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

const CHARTS = { line: LineChart, bar: BarChart, composed: ComposedChart };

/**
 * A framed Cartesian chart with the shared dashed grid and margins (8 at the top, 0 at the bottom
 * unless given); the children are its axes, tooltip, legend and series, in drawing order.
 */
function CartesianChart({
  kind,
  data,
  margin,
  verticalGrid = true,
  children,
  ...frame
}: FrameProps & {
  kind: keyof typeof CHARTS;
  data: object[];
  margin: { left: number; right: number; bottom?: number };
  /** false: horizontal grid lines only (bar and time charts). */
  verticalGrid?: boolean;
  children: ReactNode;
}) {
  const Chart = CHARTS[kind];
  return (
    <ChartFrame {...frame}>
      <Chart data={data} margin={{ top: 8, bottom: 0, ...margin }}>
        <CartesianGrid strokeDasharray="3 3" vertical={verticalGrid} />
        {children}
      </Chart>
    </ChartFrame>
  );
}

// Series styles: animations off everywhere; a measured line is 2px, a baseline a muted dashed line.
const noAnimation = { isAnimationActive: false } as const;
const seriesLine = { strokeWidth: 2, ...noAnimation } as const;
const dashed = { stroke: MUTED, strokeDasharray: '5 4' } as const;
const baselineLine = { ...dashed, ...noAnimation } as const;

const dollars = (cents: number) => formatPrice(cents);
const percentTick = (v: number) => formatPercent(v);
const percentValue = (value: unknown) => formatPercent(Number(value));
// Legend labels in body text colour: series colours such as the pale bars are too faint for text.
const legendLabel = (value: string) => <span style={{ color: '#1d2330' }}>{value}</span>;
const shortDay = (date: string) => date.slice(5);
/** A probability band as a label: `30–40%`. */
const bandLabel = (b: { from: number; to: number }) =>
  `${Math.round(b.from * 100)}–${Math.round(b.to * 100)}%`;

export function RevenueChart({ days }: { days: AdminOverview['days'] }) {
  return (
    <CartesianChart
      title="Revenue and orders, last 30 days"
      description="Closed orders per UTC day: revenue (line, left axis) and order count (bars, right axis)."
      testId="revenue-chart"
      kind="composed"
      data={days}
      margin={{ right: 8, left: 8 }}
      verticalGrid={false}
    >
      <XAxis dataKey="date" tickFormatter={shortDay} minTickGap={16} />
      <YAxis yAxisId="revenue" tickFormatter={dollars} width={80} />
      <YAxis yAxisId="orders" orientation="right" allowDecimals={false} width={40} />
      <Tooltip formatter={(value, name) => (name === 'Revenue' ? dollars(Number(value)) : String(value))} />
      <Legend formatter={legendLabel} />
      <Bar yAxisId="orders" dataKey="orders" name="Orders" fill="#cfe6df" {...noAnimation} />
      <Line
        yAxisId="revenue"
        dataKey="revenueCents"
        name="Revenue"
        stroke={BRAND}
        dot={{ r: 2 }}
        {...seriesLine}
      />
    </CartesianChart>
  );
}

type History = MlMonitoring['metricHistory'];
const byVersion = <T extends { modelId: number }>(history: T[]) =>
  history.map((h) => ({ ...h, version: `#${h.modelId}` }));

export function ChurnMetricHistoryChart({ history }: { history: History['churn'] }) {
  return (
    <CartesianChart
      title="Churn model metrics across versions"
      description="ROC AUC and PR AUC (higher is better), Brier score beside the base-rate baseline's (lower is better)."
      testId="churn-history-chart"
      kind="line"
      data={byVersion(history)}
      margin={{ right: 16, left: 0 }}
    >
      <XAxis dataKey="version" />
      <YAxis domain={[0, 1]} />
      <Tooltip formatter={(value) => formatNumber(Number(value))} />
      <Legend formatter={legendLabel} />
      <Line dataKey="rocAuc" name="ROC AUC" stroke={BRAND} {...seriesLine} />
      <Line dataKey="prAuc" name="PR AUC" stroke={ACCENT} {...seriesLine} />
      <Line dataKey="brier" name="Brier" stroke={DANGER} {...seriesLine} />
      <Line dataKey="baselineBrier" name="Brier (baseline)" {...baselineLine} />
    </CartesianChart>
  );
}

export function SpendMetricHistoryChart({ history }: { history: History['spend'] }) {
  return (
    <CartesianChart
      title="Spend model error across versions"
      description="Mean absolute error of predicted spend per customer beside the historical-rate baseline's (lower is better)."
      testId="spend-history-chart"
      kind="line"
      data={byVersion(history)}
      margin={{ right: 16, left: 8 }}
    >
      <XAxis dataKey="version" />
      <YAxis tickFormatter={dollars} width={80} />
      <Tooltip formatter={(value) => dollars(Number(value))} />
      <Legend formatter={legendLabel} />
      <Line dataKey="spendMaeCents" name="Spend MAE" stroke={BRAND} {...seriesLine} />
      <Line dataKey="baselineSpendMaeCents" name="Spend MAE (baseline)" {...baselineLine} />
    </CartesianChart>
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
    <CartesianChart
      title="Calibration of the active churn model"
      description="Mean predicted churn probability against the observed churn rate on the holdout, per probability band. The dashed diagonal is perfect calibration."
      testId="calibration-chart"
      kind="line"
      data={data}
      margin={{ right: 16, bottom: 16, left: 0 }}
    >
      <XAxis
        dataKey="meanPredicted"
        type="number"
        domain={[0, 1]}
        tickFormatter={percentTick}
        label={{ value: 'Predicted', position: 'insideBottom', offset: -8 }}
      />
      <YAxis domain={[0, 1]} tickFormatter={percentTick} />
      <Tooltip formatter={percentValue} labelFormatter={(v) => `Predicted ${formatPercent(Number(v))}`} />
      <ReferenceLine
        segment={[
          { x: 0, y: 0 },
          { x: 1, y: 1 },
        ]}
        ifOverflow="extendDomain"
        {...dashed}
      />
      <Line dataKey="observedRate" name="Observed churn rate" stroke={BRAND} dot={{ r: 4 }} {...seriesLine} />
    </CartesianChart>
  );
}

export function DecileChart({ bins }: { bins: Bin[] }) {
  const data = bins.map((b) => ({
    band: bandLabel(b),
    predicted: b.meanPredicted,
    actual: b.observedRate,
    count: b.count,
  }));
  return (
    <CartesianChart
      title="Predicted vs actual churn by decile"
      description="Holdout customers grouped into ten bands of predicted churn probability: mean prediction beside the share who actually churned."
      testId="decile-chart"
      kind="bar"
      data={data}
      margin={{ right: 16, left: 0 }}
      verticalGrid={false}
    >
      <XAxis dataKey="band" interval={0} tick={{ fontSize: 11 }} />
      <YAxis domain={[0, 1]} tickFormatter={percentTick} />
      <Tooltip formatter={percentValue} />
      <Legend formatter={legendLabel} />
      <Bar dataKey="predicted" name="Predicted" fill={ACCENT} {...noAnimation} />
      <Bar dataKey="actual" name="Actual" fill={BRAND} {...noAnimation} />
    </CartesianChart>
  );
}

export function RiskDistributionChart({
  histogram,
}: {
  histogram: MlMonitoring['predictionDistribution']['churnProbability'];
}) {
  const data = histogram.map((h) => ({ band: bandLabel(h), count: h.count }));
  return (
    <CartesianChart
      title="Churn-risk distribution"
      description="Scored customers per band of churn probability."
      testId="risk-distribution-chart"
      kind="bar"
      data={data}
      margin={{ right: 16, left: 0 }}
      verticalGrid={false}
    >
      <XAxis dataKey="band" interval={0} tick={{ fontSize: 11 }} />
      <YAxis allowDecimals={false} />
      <Tooltip />
      <Bar dataKey="count" name="Customers" fill={BRAND} {...noAnimation} />
    </CartesianChart>
  );
}

export function DataVolumeChart({ volume }: { volume: MlMonitoring['dataVolume'] }) {
  return (
    <CartesianChart
      title="Data volume over time"
      description="Closed orders (bars, left axis) and behaviour events (line, right axis) per month."
      testId="data-volume-chart"
      kind="composed"
      data={volume}
      margin={{ right: 8, left: 0 }}
      verticalGrid={false}
    >
      <XAxis dataKey="month" minTickGap={12} />
      <YAxis yAxisId="orders" allowDecimals={false} />
      <YAxis yAxisId="events" orientation="right" allowDecimals={false} width={56} />
      <Tooltip />
      <Legend formatter={legendLabel} />
      <Bar yAxisId="orders" dataKey="closedOrders" name="Closed orders" fill={BRAND} {...noAnimation} />
      <Line yAxisId="events" dataKey="events" name="Events" stroke={ACCENT} dot={{ r: 2 }} {...seriesLine} />
    </CartesianChart>
  );
}
