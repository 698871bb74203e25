import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { msPart, toDateTime } from '../../shared/clickhouse/rows.js';
import type { DriftWindowKind } from '../../queues/drift-queue.js';
import type { ConceptDrift } from './concept-drift.js';
import type { RetrainingDecision } from './retraining-policy.js';
import type { WindowFeature } from './window-verdict.js';

/** One window's drift report as the worker writes it to `drift_reports`. */
export interface DriftReport {
  tenant: string;
  kind: string;
  modelId: string;
  windowKind: DriftWindowKind;
  from: number;
  to: number;
  rows: number;
  /** Every judged feature; `evaluated_features` and `drifted_features` count those in the dataset-drift share. */
  features: WindowFeature[];
  driftedShare: number;
  datasetDrift: boolean;
  concept: ConceptDrift & { options: Record<string, unknown> };
  computedAt: number;
}

/** Inserts a report; recomputing the same window replaces the row under FINAL. */
export async function writeDriftReport(client: ClickHouseClient, report: DriftReport): Promise<void> {
  await client.insert({
    table: 'drift_reports',
    values: [{
      tenant: report.tenant,
      kind: report.kind,
      model_id: report.modelId,
      window_kind: report.windowKind,
      window_start: toDateTime(report.from, 'from'),
      window_end: toDateTime(report.to, 'to'),
      rows: report.rows,
      evaluated_features: report.features.filter((f) => f.inShare).length,
      drifted_features: report.features.filter((f) => f.inShare && f.drifted).map((f) => f.name),
      drifted_share: report.driftedShare,
      dataset_drift: report.datasetDrift ? 1 : 0,
      features: JSON.stringify(report.features),
      concept: JSON.stringify(report.concept),
      computed_at: toDateTime(report.computedAt),
      computed_at_ms: msPart(report.computedAt),
    }],
    format: 'JSONEachRow',
  });
}

/** Inserts one retraining-policy decision with the training job it started, if any. */
export async function writeRetrainingDecision(
  client: ClickHouseClient,
  row: { tenant: string; kind: string; modelId: string; at: number; decision: RetrainingDecision; jobId: string | null },
): Promise<void> {
  const { decision } = row;
  await client.insert({
    table: 'retraining_decisions',
    values: [{
      tenant: row.tenant,
      kind: row.kind,
      decision_id: `${row.at}-${randomUUID()}`,
      at: toDateTime(row.at),
      at_ms: msPart(row.at),
      model_id: row.modelId,
      action: decision.action,
      trigger: decision.trigger,
      urgent: decision.urgent ? 1 : 0,
      blocked_by: decision.blockedBy ?? '',
      reason: decision.reason,
      volume_class: decision.volumeClass,
      next_scheduled_at: toDateTime(decision.nextScheduledAt, 'nextScheduledAt'),
      job_id: row.jobId ?? '',
      evidence: JSON.stringify(decision.evidence),
    }],
    format: 'JSONEachRow',
  });
}
