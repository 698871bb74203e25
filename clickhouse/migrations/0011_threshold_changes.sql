-- The history of per-service decision thresholds (issue 3, item 5): every manual pin or unpin and
-- every optimiser change, with the threshold before and after, its reason and evidence (JSON).
-- event_id makes a retried insert one event under FINAL.
CREATE TABLE IF NOT EXISTS threshold_changes (
  tenant String,
  service String,
  event_id String,
  at DateTime('UTC'),
  at_ms UInt16,
  threshold Float64,
  previous Float64,
  source Enum8('manual' = 1, 'optimiser' = 2),
  reason String,
  evidence String
) ENGINE = ReplacingMergeTree(at)
PARTITION BY toYYYYMM(at)
ORDER BY (tenant, service, event_id);
