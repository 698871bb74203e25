-- The history of the model registry (DESIGN §6): every registration, promotion, rollback and
-- rejected challenger, with its reason and evidence (JSON). event_id makes a retried insert one
-- event under FINAL.
CREATE TABLE IF NOT EXISTS model_events (
  tenant String,
  kind String,
  event_id String,
  at DateTime('UTC'),
  at_ms UInt16,
  action Enum8('register' = 1, 'promote' = 2, 'rollback' = 3, 'reject' = 4),
  model_id String,
  previous_model_id String,
  reason String,
  evidence String
) ENGINE = ReplacingMergeTree(at)
PARTITION BY toYYYYMM(at)
ORDER BY (tenant, kind, event_id);
