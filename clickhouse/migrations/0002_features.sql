-- Feature vectors computed once at scoring time; feature_schema_version names the positions in `values`.
CREATE TABLE IF NOT EXISTS features (
  tenant String,
  alert_id String,
  event_time DateTime('UTC'),
  event_time_ms UInt16,
  feature_schema_version UInt16,
  values Array(Float32),
  computed_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(event_time)
ORDER BY (tenant, alert_id);
