import { msPart, toDateTime, type DateTimeText } from '../../shared/clickhouse/rows.js';
import { wellFormed } from '../../shared/clickhouse/sql-escape.js';
import { stripPii } from '../../shared/pii/strip-pii.js';
import type { ScoredSample } from './scored-sample.js';

/** The table migration 0014 creates. */
export const METRIC_ANOMALIES_TABLE = 'metric_anomalies';

/** A `metric_anomalies` row as JSONEachRow sends it. */
export interface MetricAnomalyRow {
  tenant: string;
  series_key: string;
  name: string;
  label_keys: string[];
  label_values: string[];
  timestamp: DateTimeText;
  timestamp_ms: number;
  value: number;
  anomaly_score: number;
  detector: string;
  scored_at: DateTimeText;
}

/** The row of a scored sample; label values leave PII-stripped, as alert labels do (the series key is computed before). */
export function metricAnomalyRow(scored: ScoredSample, detector: string, scoredAt: number = Date.now()): MetricAnomalyRow {
  const { sample } = scored;
  const keys = Object.keys(sample.labels).sort();
  return {
    tenant: sample.tenant,
    series_key: scored.seriesKey,
    name: sample.name,
    label_keys: keys.map(wellFormed),
    label_values: keys.map((key) => wellFormed(stripPii(sample.labels[key] ?? ''))),
    timestamp: toDateTime(sample.timestamp, 'timestamp'),
    timestamp_ms: msPart(sample.timestamp),
    value: sample.value,
    anomaly_score: scored.score,
    detector,
    scored_at: toDateTime(scoredAt, 'scored_at'),
  };
}
