import { sortedQuantile } from '../../shared/stats/quantile.js';

/** Latency quantiles in milliseconds. */
export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** p50/p95/p99/max of latencies in ms (all zero for an empty sample). */
export function summariseLatency(latenciesMs: Float64Array): LatencySummary {
  if (latenciesMs.length === 0) return { p50: 0, p95: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(latenciesMs).sort();
  const at = (probability: number): number => Math.round(sortedQuantile(sorted, probability) * 10) / 10;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}
