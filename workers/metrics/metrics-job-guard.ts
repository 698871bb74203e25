import { UnrecoverableError } from 'bullmq';
import { parseMetricSample, type MetricSample } from '../../schemas/metric-sample.js';
import type { MetricsJob } from '../../queues/metrics-queue.js';

/**
 * Checks a metrics job before it touches detector state. Producers validate already, but any process
 * with Redis access can enqueue: a malformed job fails permanently (failed set, with its reason).
 */
export function guardMetricsJob(data: unknown): MetricsJob {
  const job = data as Partial<MetricsJob> | null;
  const samples: unknown = job?.samples;
  if (!Array.isArray(samples) || samples.length === 0) throw new UnrecoverableError('metrics job must carry a non-empty "samples" array');
  return { samples: samples.map((sample: unknown, index) => guardSample(sample, index)), enqueuedAt: typeof job?.enqueuedAt === 'number' ? job.enqueuedAt : Date.now() };
}

function guardSample(value: unknown, index: number): MetricSample {
  const tenant = (value as { tenant?: unknown } | null)?.tenant;
  const result = parseMetricSample(value, { tenant: typeof tenant === 'string' ? tenant : '' });
  if (!result.ok) throw new UnrecoverableError(`samples[${index}]: ${result.error.message}`);
  return result.value;
}
