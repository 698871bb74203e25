import type { ClickHouseClient } from '@clickhouse/client';
import { BatchWriter } from '../../shared/clickhouse/batch-writer.js';
import { decisionRow, outcomeRow, type DecisionRecord, type DecisionRow, type OutcomeRow } from '../../shared/clickhouse/rows.js';
import type { OutcomeKind } from '../../schemas/outcome.js';

/** 2025-03-14 09:00:00 UTC: the fixtures' hour. */
export const BASE = Date.UTC(2025, 2, 14, 9, 0, 0);
export const MINUTE = 60_000;

/** A decision whose alert fired 10.5 s into `minute`, decided `freshnessS` seconds later. */
export interface SliDecision {
  tenant: string;
  alertId: string;
  minute: number;
  decision: 'notify' | 'suppress';
  e2eMs: number;
  inferenceMs: number;
  freshnessS: number;
  service?: string;
  model?: { id: string; version: number } | null;
}

export function sliDecisionRow(d: SliDecision): DecisionRow {
  const eventTime = d.minute + 10_500;
  const model = d.model === undefined ? { id: 'gbt-7', version: 7 } : d.model;
  const record: DecisionRecord = {
    tenant: d.tenant,
    alertId: d.alertId,
    service: d.service ?? 'checkout',
    name: 'HighLatency',
    eventTime,
    modelId: model?.id ?? '',
    modelVersion: model?.version ?? 0,
    score: model === null ? null : d.decision === 'suppress' ? 0.1 : 0.9,
    threshold: 0.5,
    decision: d.decision,
    shadowModelId: null,
    shadowScore: null,
    scoringLatencyUs: d.inferenceMs * 1000,
    e2eLatencyUs: d.e2eMs * 1000,
    decidedAt: eventTime + d.freshnessS * 1000,
  };
  return decisionRow(record);
}

/** Writes decisions through the normal batching writer and waits until they are stored. */
export async function writeDecisions(client: ClickHouseClient, decisions: SliDecision[]): Promise<void> {
  const writer = new BatchWriter<DecisionRow>(client, { table: 'decisions', flushDelayMs: 0 });
  await Promise.all(decisions.map((d) => writer.write(sliDecisionRow(d))));
  await writer.shutdown();
}

/** Writes outcomes (labels) through the normal batching writer. */
export async function writeOutcomes(client: ClickHouseClient, tenant: string, labels: [alertId: string, outcome: OutcomeKind][]): Promise<void> {
  const writer = new BatchWriter<OutcomeRow>(client, { table: 'outcomes', flushDelayMs: 0 });
  await Promise.all(labels.map(([alertId, outcome]) => writer.write(outcomeRow({ tenant, alertId, outcome, at: BASE + 2 * 3_600_000, source: 'human' }))));
  await writer.shutdown();
}
