import type { RemoteWriteSeries } from '../shared/remote-write/write-request.js';
import { type MetricSample, parseMetricSample } from './metric-sample.js';
import type { ParseContext, ParseResult } from './parse-result.js';

/** What a remote-write request holds for the metrics queue. */
export interface RemoteWriteSamples {
  /** One parse result per float sample that is an observation, in request order. */
  results: ParseResult<MetricSample>[];
  /** Staleness markers: a series ended; they say nothing about its values. */
  stale: number;
  /** NaN and ±Inf values, which JSON (the queue's encoding) cannot carry and detectors cannot score. */
  nonFinite: number;
  /** Native-histogram samples, which Hush does not score. */
  histograms: number;
}

const NAME_LABEL = '__name__';

/**
 * Turns decoded remote-write series into metric samples for the caller's tenant: `__name__` becomes
 * `name`, the other labels stay labels, and each sample is validated as a JSON sample would be.
 */
export function remoteWriteSamples(series: readonly RemoteWriteSeries[], context: ParseContext): RemoteWriteSamples {
  const out: RemoteWriteSamples = { results: [], stale: 0, nonFinite: 0, histograms: 0 };
  for (const { labels, samples, histograms } of series) {
    out.histograms += histograms;
    let name: string | undefined;
    const others: [string, string][] = [];
    for (const label of labels) {
      if (label.name === NAME_LABEL) name = label.value;
      else others.push([label.name, label.value]);
    }
    // fromEntries defines own properties, so a hostile `__proto__` label reaches validation (and is refused).
    const rest = Object.fromEntries(others);
    for (const sample of samples) {
      if (sample.stale) out.stale += 1;
      else if (!Number.isFinite(sample.value)) out.nonFinite += 1;
      else out.results.push(parseMetricSample({ name, labels: rest, timestamp: sample.timestamp, value: sample.value }, context));
    }
  }
  return out;
}
