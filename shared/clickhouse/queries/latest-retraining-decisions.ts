import type { ClickHouseClient } from '@clickhouse/client';
import { HushError } from '../../errors/index.js';
import { sqlNumber, sqlString } from '../sql-escape.js';

/** A stored retraining-policy decision (docs/drift.md, "Retraining policy"). */
export interface StoredRetrainingDecision {
  kind: string;
  at: string;
  modelId: string;
  action: 'train' | 'wait';
  trigger: string;
  urgent: boolean;
  blockedBy: string;
  reason: string;
  volumeClass: string;
  nextScheduledAt: string;
  jobId: string;
  evidence: Record<string, unknown>;
}

interface DecisionRow {
  kind: string;
  at: string;
  at_ms: number;
  model_id: string;
  action: 'train' | 'wait';
  trigger: string;
  urgent: number;
  blocked_by: string;
  reason: string;
  volume_class: string;
  next_scheduled_at: string;
  job_id: string;
  evidence: string;
}

/** The `limit` newest retraining decisions of `tenant` (only those taken while `modelId` was champion, when given), newest first. */
export async function latestRetrainingDecisions(client: ClickHouseClient, tenant: string, limit: number, modelId?: string): Promise<StoredRetrainingDecision[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new HushError('HUSH_ERR_VALIDATION', `limit must be an integer in [1, 1000], got ${limit}`);
  const result = await client.query({
    query: `SELECT kind, at, at_ms, model_id, action, trigger, urgent, blocked_by, reason, volume_class, next_scheduled_at, job_id, evidence
      FROM retraining_decisions FINAL WHERE tenant = ${sqlString(tenant)}${modelId === undefined ? '' : ` AND model_id = ${sqlString(modelId)}`}
      ORDER BY at DESC, at_ms DESC, decision_id DESC LIMIT ${sqlNumber(limit)}`,
    format: 'JSONEachRow',
  });
  return (await result.json<DecisionRow>()).map((row) => ({
    kind: row.kind,
    at: `${row.at.replace(' ', 'T')}.${String(row.at_ms).padStart(3, '0')}Z`,
    modelId: row.model_id,
    action: row.action,
    trigger: row.trigger,
    urgent: Number(row.urgent) === 1,
    blockedBy: row.blocked_by,
    reason: row.reason,
    volumeClass: row.volume_class,
    nextScheduledAt: `${row.next_scheduled_at.replace(' ', 'T')}Z`,
    jobId: row.job_id,
    evidence: JSON.parse(row.evidence) as Record<string, unknown>,
  }));
}
