import type { ClickHouseClient } from '@clickhouse/client';
import { sqlString } from '../sql-escape.js';
import { fromDateTime } from '../rows.js';

/** What drift detection needs of a registered model: its reference profile and holdout metrics (parsed JSON). */
export interface ModelReference {
  modelId: string;
  featureSchemaVersion: number;
  createdAt: number;
  /** Event-time span of its training data (ms): what its reference profile can represent. */
  trainingWindowMs: number;
  referenceProfile: unknown;
  metrics: Record<string, unknown>;
}

/** The reference profile and metrics of `modelId` of `tenant`, or null when there is no such model. */
export async function modelReference(client: ClickHouseClient, tenant: string, modelId: string): Promise<ModelReference | null> {
  const result = await client.query({
    query: `SELECT model_id, feature_schema_version, created_at, training_window_start, training_window_end, reference_profile, metrics FROM models FINAL
      WHERE tenant = ${sqlString(tenant)} AND model_id = ${sqlString(modelId)} LIMIT 1`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ model_id: string; feature_schema_version: number; created_at: string; training_window_start: string; training_window_end: string; reference_profile: string; metrics: string }>();
  if (!row) return null;
  return {
    modelId: row.model_id,
    featureSchemaVersion: Number(row.feature_schema_version),
    createdAt: fromDateTime(row.created_at),
    trainingWindowMs: fromDateTime(row.training_window_end) - fromDateTime(row.training_window_start),
    referenceProfile: JSON.parse(row.reference_profile) as unknown,
    metrics: JSON.parse(row.metrics) as Record<string, unknown>,
  };
}
