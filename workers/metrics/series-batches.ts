import { type MetricSample, seriesKey } from '../../schemas/metric-sample.js';
import type { SeriesRef } from './series-checkpoints.js';

/** The samples of one series within a job, in timestamp order. */
export interface SeriesBatch {
  series: SeriesRef;
  samples: MetricSample[];
}

/** Splits a job's samples by series; each series' samples are sorted by timestamp (stable, so ties keep push order). */
export function groupBySeries(samples: readonly MetricSample[]): SeriesBatch[] {
  const batches = new Map<string, SeriesBatch>();
  for (const sample of samples) {
    const key = seriesKey(sample);
    const batch = batches.get(key);
    if (batch) batch.samples.push(sample);
    else batches.set(key, { series: { tenant: sample.tenant, seriesKey: key }, samples: [sample] });
  }
  for (const batch of batches.values()) batch.samples.sort((a, b) => a.timestamp - b.timestamp);
  return [...batches.values()];
}
