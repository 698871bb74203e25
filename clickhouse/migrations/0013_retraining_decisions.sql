-- Every decision of the retraining policy (issue 4, item 4), taken after each drift report: train or
-- wait, the trigger, the guard that held it back, the reason in words and the evidence (JSON).
-- decision_id makes a retried insert one row under FINAL.
CREATE TABLE IF NOT EXISTS retraining_decisions (
  tenant String,
  kind String,
  decision_id String,
  at DateTime('UTC'),
  at_ms UInt16,
  model_id String,
  action Enum8('train' = 1, 'wait' = 2),
  trigger String,
  urgent UInt8,
  blocked_by String,
  reason String,
  volume_class String,
  next_scheduled_at DateTime('UTC'),
  job_id String,
  evidence String
) ENGINE = ReplacingMergeTree(at)
PARTITION BY toYYYYMM(at)
ORDER BY (tenant, kind, decision_id);
