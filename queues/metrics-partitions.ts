import { HushError } from '../shared/errors/index.js';
import { QUEUE_NAMES } from './queue-names.js';

/** Partitions of the metrics stream when `HUSH_METRICS_PARTITIONS` is unset. */
export const DEFAULT_METRICS_PARTITIONS = 16;
const MAX_METRICS_PARTITIONS = 1024;

/**
 * The partition count: explicit value → `HUSH_METRICS_PARTITIONS` → 16. Producers and metrics workers
 * must agree on it; change it only while the metrics queues are drained (series move between partitions).
 */
export function resolveMetricsPartitions(explicit?: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = explicit ?? (env.HUSH_METRICS_PARTITIONS === undefined ? DEFAULT_METRICS_PARTITIONS : Number(env.HUSH_METRICS_PARTITIONS));
  if (!Number.isInteger(raw) || raw < 1 || raw > MAX_METRICS_PARTITIONS) {
    const source = explicit === undefined ? `HUSH_METRICS_PARTITIONS="${env.HUSH_METRICS_PARTITIONS}"` : `option partitions=${explicit}`;
    throw new HushError('HUSH_ERR_CONFIG', `${source} must be an integer in [1, ${MAX_METRICS_PARTITIONS}]`);
  }
  return raw;
}

/** The partition of a series: its (uniformly distributed, hex) series key's first 32 bits mod the count. */
export function partitionOf(seriesKey: string, partitions: number): number {
  return Number.parseInt(seriesKey.slice(0, 8), 16) % partitions;
}

/** The BullMQ queue of one partition: `metrics-0`, `metrics-1`, … */
export function metricsQueueName(partition: number): string {
  return `${QUEUE_NAMES.metrics}-${partition}`;
}
