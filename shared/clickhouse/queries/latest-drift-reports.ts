import type { ClickHouseClient } from '@clickhouse/client';
import { HushError } from '../../errors/index.js';
import { sqlNumber, sqlString } from '../sql-escape.js';

/** A stored drift report as the API and CLI show it (times as ISO strings). */
export interface StoredDriftReport {
  kind: string;
  modelId: string;
  windowKind: 'tumbling' | 'sliding';
  windowStart: string;
  windowEnd: string;
  rows: number;
  evaluatedFeatures: number;
  driftedFeatures: string[];
  driftedShare: number;
  datasetDrift: boolean;
  /** Every per-feature statistic (docs/drift.md, "Report"). */
  features: unknown[];
  /** Label mix, score calibration and live performance of the window. */
  concept: Record<string, unknown>;
  computedAt: string;
}

interface ReportRow {
  kind: string;
  model_id: string;
  window_kind: 'tumbling' | 'sliding';
  window_start: string;
  window_end: string;
  rows: number | string;
  evaluated_features: number;
  drifted_features: string[];
  drifted_share: number;
  dataset_drift: number;
  features: string;
  concept: string;
  computed_at: string;
  computed_at_ms: number;
}

const iso = (text: string, ms = 0): string => `${text.replace(' ', 'T')}.${String(ms).padStart(3, '0')}Z`;

/**
 * The `limit` newest drift reports of `tenant` (every kind and window kind; only `modelId`'s when given),
 * newest window first.
 */
export async function latestDriftReports(client: ClickHouseClient, tenant: string, limit: number, modelId?: string): Promise<StoredDriftReport[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new HushError('HUSH_ERR_VALIDATION', `limit must be an integer in [1, 1000], got ${limit}`);
  const result = await client.query({
    query: `SELECT kind, model_id, window_kind, window_start, window_end, rows, evaluated_features, drifted_features,
        drifted_share, dataset_drift, features, concept, computed_at, computed_at_ms
      FROM drift_reports FINAL WHERE tenant = ${sqlString(tenant)}${modelId === undefined ? '' : ` AND model_id = ${sqlString(modelId)}`}
      ORDER BY window_end DESC, window_kind, kind, model_id LIMIT ${sqlNumber(limit)}`,
    format: 'JSONEachRow',
  });
  return (await result.json<ReportRow>()).map((row) => ({
    kind: row.kind,
    modelId: row.model_id,
    windowKind: row.window_kind,
    windowStart: iso(row.window_start),
    windowEnd: iso(row.window_end),
    rows: Number(row.rows),
    evaluatedFeatures: Number(row.evaluated_features),
    driftedFeatures: row.drifted_features,
    driftedShare: Number(row.drifted_share),
    datasetDrift: Number(row.dataset_drift) === 1,
    features: JSON.parse(row.features) as unknown[],
    concept: JSON.parse(row.concept) as Record<string, unknown>,
    computedAt: iso(row.computed_at, Number(row.computed_at_ms)),
  }));
}
