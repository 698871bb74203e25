-- One row per alert event (firing, then resolved). summary is PII-stripped before it gets here.
-- Times are UTC; starts_at_ms keeps the millisecond part that DateTime (no DateTime64 on 18.16) drops.
CREATE TABLE IF NOT EXISTS alerts (
  tenant String,
  alert_id String,
  status Enum8('firing' = 1, 'resolved' = 2),
  fingerprint String,
  source String,
  name String,
  service String,
  severity Enum8('critical' = 1, 'error' = 2, 'warning' = 3, 'info' = 4),
  starts_at DateTime('UTC'),
  starts_at_ms UInt16,
  ends_at Nullable(DateTime('UTC')),
  summary String,
  label_keys Array(String),
  label_values Array(String),
  value Nullable(Float64),
  ingested_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(starts_at)
ORDER BY (tenant, alert_id, status);
