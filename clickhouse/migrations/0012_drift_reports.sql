-- Drift reports (issue 4): one row per (tenant, model, window kind, event-time window). `features` is a
-- JSON array with every per-feature statistic (docs/drift.md); `concept` the label mix and calibration.
-- Recomputing a window replaces its row under FINAL (ReplacingMergeTree on computed_at).
CREATE TABLE IF NOT EXISTS drift_reports (
  tenant String,
  kind String,
  model_id String,
  window_kind Enum8('tumbling' = 1, 'sliding' = 2),
  window_start DateTime('UTC'),
  window_end DateTime('UTC'),
  rows UInt64,
  evaluated_features UInt16,
  drifted_features Array(String),
  drifted_share Float64,
  dataset_drift UInt8,
  features String,
  concept String,
  computed_at DateTime('UTC'),
  computed_at_ms UInt16
) ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(window_start)
ORDER BY (tenant, kind, model_id, window_kind, window_start, window_end);
