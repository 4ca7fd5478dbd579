import { DAY_MS, type CustomerHistory } from '../features.ts';
import { DEFAULT_SIMULATION, simulateCustomers } from './simulate.ts';
import { type BacktestReport, backtest } from './backtest.ts';

/**
 * The public benchmark (decision 154), shared by the test suite and `npm run bench:ml`: a
 * simulated 78-week history of a cohort of customers who all first buy in the first 12 weeks (the
 * shape of the CDNOW data the literature tests BG/NBD on), generated with known BG/NBD +
 * Gamma-Gamma parameters (DEFAULT_SIMULATION). Models are fitted on the first 39 weeks and scored
 * on what happened after the cutoff, at the horizons asked for. Everything here is synthetic.
 */
export const BENCHMARK_WEEKS = 78;
export const CALIBRATION_WEEKS = 39;
export const BENCHMARK_END = Date.UTC(2026, 0, 1);

export function benchmarkHistories(customers: number, seed = 1997): CustomerHistory[] {
  const days = BENCHMARK_WEEKS * 7;
  return [
    ...simulateCustomers({
      customers,
      days,
      seed,
      end: BENCHMARK_END,
      params: DEFAULT_SIMULATION,
      joinWithinDays: 84,
    }),
  ].map((c) => ({
    userId: c.index + 1,
    orders: c.orders.map(([at, dollars]) => [at, Math.round(dollars * 100)] as [number, number]),
    events: c.events,
  }));
}

export const benchmarkCutoff = () => BENCHMARK_END - (BENCHMARK_WEEKS - CALIBRATION_WEEKS) * 7 * DAY_MS;

export interface BenchmarkRun {
  horizonDays: number;
  report: BacktestReport;
  trainSeconds: number;
}

export function runBenchmark(histories: CustomerHistory[], horizons: number[]): BenchmarkRun[] {
  return horizons.map((horizonDays) => {
    const started = performance.now();
    const report = backtest(histories, benchmarkCutoff(), horizonDays);
    return { horizonDays, report, trainSeconds: (performance.now() - started) / 1000 };
  });
}
