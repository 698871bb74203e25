import type { ConstantRateResult } from './constant-rate.js';
import { summariseLatency, type LatencySummary } from './latency-summary.js';

/** The ingest thresholds of the issue, the same as in ingest.k6.js. */
export const THRESHOLDS = { p95Ms: 140, errorRate: 0.001 } as const;

/** The figures of one constant-rate run through one sender. */
export interface LoadFigures extends LatencySummary {
  via: string;
  offered: number;
  accepted: number;
  errors: number;
  errorRate: number;
  /** Requests acknowledged per second over the run, drain included. */
  acceptedPerSecond: number;
  passed: boolean;
}

/** Turns a run's raw result into figures, judged against {@link THRESHOLDS}. */
export function loadFigures(via: string, result: ConstantRateResult): LoadFigures {
  const latency = summariseLatency(result.latenciesMs);
  const errorRate = result.offered === 0 ? 0 : result.errors / result.offered;
  return {
    via,
    offered: result.offered,
    accepted: result.latenciesMs.length,
    errors: result.errors,
    errorRate,
    acceptedPerSecond: Math.round(result.latenciesMs.length / result.elapsedSeconds),
    ...latency,
    passed: latency.p95 < THRESHOLDS.p95Ms && errorRate < THRESHOLDS.errorRate,
  };
}

/** One human-readable line of figures. */
export function formatFigures(figures: LoadFigures): string {
  const verdict = figures.passed ? 'PASS' : 'FAIL';
  return `${figures.via.padEnd(8)} ${figures.acceptedPerSecond}/s accepted of ${figures.offered} offered  p50 ${figures.p50} ms  p95 ${figures.p95} ms  p99 ${figures.p99} ms  max ${figures.max} ms  errors ${figures.errors} (${(figures.errorRate * 100).toFixed(3)}%)  ${verdict}`;
}
