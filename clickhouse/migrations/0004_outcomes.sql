-- Feedback labels (DESIGN §3); the latest received label for an alert wins.
-- ReplacingMergeTree collapses rows only inside one partition: two labels for an alert whose `at`
-- fall in different months both survive FINAL, so readers that need exactly one label per alert
-- use argMax(outcome, received_at) … GROUP BY tenant, alert_id.
CREATE TABLE IF NOT EXISTS outcomes (
  tenant String,
  alert_id String,
  outcome Enum8('actionable' = 1, 'noise' = 2),
  at DateTime('UTC'),
  at_ms UInt16,
  source Enum8('human' = 1, 'incident' = 2, 'auto' = 3),
  received_at DateTime('UTC'),
  received_at_ms UInt16
) ENGINE = ReplacingMergeTree(received_at)
PARTITION BY toYYYYMM(at)
ORDER BY (tenant, alert_id);
