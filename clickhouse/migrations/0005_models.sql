-- The model registry (DESIGN §6): every trained artifact with what it was trained on.
-- artifact is the ONNX model in base64; metrics and reference_profile are JSON documents.
CREATE TABLE IF NOT EXISTS models (
  tenant String,
  model_id String,
  kind String,
  version UInt32,
  feature_schema_version UInt16,
  n_features UInt16,
  created_at DateTime('UTC'),
  artifact String,
  metrics String,
  training_window_start DateTime('UTC'),
  training_window_end DateTime('UTC'),
  dataset_hash String,
  reference_profile String
) ENGINE = ReplacingMergeTree(created_at)
PARTITION BY toYYYYMM(created_at)
ORDER BY (tenant, model_id);
