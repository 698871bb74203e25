-- What the outcome rollup (0008) needs to know about an alert's decision, partitioned by the day the
-- decision was made so that a lookup of recent decisions reads only a few partitions. A copy of
-- narrow decision columns; 18.16 has no TTL, so old partitions are dropped by the operator
-- (ALTER TABLE decision_lookup DROP PARTITION 'YYYY-MM-DD', see docs/analytics.md).
CREATE TABLE IF NOT EXISTS decision_lookup (
  tenant String,
  alert_id String,
  service String,
  name String,
  model_id String,
  model_version UInt32,
  minute DateTime('UTC'),
  decision Enum8('notify' = 1, 'suppress' = 2),
  decided_at DateTime('UTC')
) ENGINE = MergeTree
PARTITION BY toDate(decided_at)
ORDER BY (tenant, alert_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS decision_lookup_mv TO decision_lookup AS
SELECT tenant, alert_id, service, name, model_id, model_version, toStartOfMinute(event_time) AS minute, decision, decided_at
FROM decisions;
