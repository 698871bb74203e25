import type { ClickHouseClient } from '@clickhouse/client';
import { sqlString } from '../clickhouse/sql-escape.js';
import type { ArtifactSource } from './model-cache.js';
import type { OnnxModelMeta } from '../onnx/onnx-model.js';

interface ModelArtifactRow {
  model_id: string;
  version: number;
  feature_schema_version: number;
  n_features: number;
  artifact: string;
}

/** Loads model artifacts from the `models` table (base64 ONNX, DESIGN §6). */
export class ClickHouseArtifactSource implements ArtifactSource {
  constructor(private readonly client: ClickHouseClient) {}

  async load(tenant: string, modelId: string): Promise<{ bytes: Uint8Array; meta: OnnxModelMeta } | null> {
    const result = await this.client.query({
      query: `SELECT model_id, version, feature_schema_version, n_features, artifact
              FROM models FINAL WHERE tenant = ${sqlString(tenant)} AND model_id = ${sqlString(modelId)} LIMIT 1`,
      format: 'JSONEachRow',
    });
    const [row] = await result.json<ModelArtifactRow>();
    if (!row) return null;
    const bytes = Buffer.from(row.artifact, 'base64');
    return {
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      meta: { id: row.model_id, version: Number(row.version), featureSchemaVersion: Number(row.feature_schema_version), nFeatures: Number(row.n_features) },
    };
  }
}
