-- Metric anomaly scores (issue 6): one row per scored metric sample at or above the metrics role's
-- recording floor (HUSH_METRICS_RECORD_MIN_SCORE). Labels are two parallel arrays (18.16 has no Map):
-- `label_values[indexOf(label_keys, 'job')]`. A batch replayed after a worker crash writes the same
-- rows again; they collapse under FINAL (ReplacingMergeTree on scored_at).
CREATE TABLE IF NOT EXISTS metric_anomalies (
  tenant String,
  series_key String,
  name String,
  label_keys Array(String),
  label_values Array(String),
  timestamp DateTime('UTC'),
  timestamp_ms UInt16,
  value Float64,
  anomaly_score Float64,
  detector String,
  scored_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(scored_at)
PARTITION BY toYYYYMM(timestamp)
ORDER BY (tenant, series_key, timestamp, timestamp_ms);
