import type { MetricSample } from '../../schemas/metric-sample.js';

/** A metric sample with its series key and the anomaly score the detector gave it, in [0, 1]. */
export interface ScoredSample {
  sample: MetricSample;
  seriesKey: string;
  score: number;
}
