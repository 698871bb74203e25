-- DESIGN §4: one decision per firing alert. A retried batch or a restarted worker may insert a
-- decision twice; ReplacingMergeTree keyed by (tenant, alert_id) and partitioned by the alert's own
-- event time makes `FINAL` (or a merge) show exactly one row.
-- score is NULL on cold start (no model: notified, never suppressed blindly).
CREATE TABLE IF NOT EXISTS decisions (
  tenant String,
  alert_id String,
  service String,
  name String,
  event_time DateTime('UTC'),
  event_time_ms UInt16,
  model_id String,
  model_version UInt32,
  score Nullable(Float32),
  threshold Float32,
  decision Enum8('notify' = 1, 'suppress' = 2),
  shadow_model_id String,
  shadow_score Nullable(Float32),
  scoring_latency_us UInt32,
  e2e_latency_us UInt32,
  decided_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(decided_at)
PARTITION BY toYYYYMM(event_time)
ORDER BY (tenant, alert_id);
