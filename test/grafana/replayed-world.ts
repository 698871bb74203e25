import type { ClickHouseClient } from '@clickhouse/client';
import type { Redis } from 'ioredis';
import type { AlertWire } from '../../schemas/alert.js';
import { BatchWriter } from '../../shared/clickhouse/batch-writer.js';
import { decisionRow, outcomeRow, type DecisionRow, type OutcomeRow } from '../../shared/clickhouse/rows.js';
import { ModelRegistry } from '../../shared/models/model-registry.js';
import { ThresholdRegistry } from '../../shared/models/threshold-registry.js';
import { ThresholdStore } from '../../shared/models/threshold-store.js';
import { generateWorld } from '../../synth/index.js';
import { hashString } from '../../synth/prng.js';
import { writeDriftReport, writeRetrainingDecision } from '../../workers/drift/drift-report-store.js';
import { buildLogisticModel } from '../helpers/onnx-models.js';

const HOUR = 3_600_000;

/** The models that decide the replayed stream, by event time: none (cold start), then two versions. */
export const REPLAY_MODELS = [
  { id: '', version: 0, fromHour: 0 },
  { id: 'noise-v1-gbdt', version: 1, fromHour: 6 },
  { id: 'noise-v2-mlp', version: 2, fromHour: 24 },
] as const;

/** What was replayed: decisions per model id. */
export interface ReplaySummary {
  decisionsByModel: Map<string, number>;
  outcomes: number;
}

/**
 * A decision for a synthetic firing alert as the scoring role records it: the model in force at its
 * event time, warning/info suppressed once a model exists (cold start notifies everything), latencies
 * and decision delay spread deterministically by the alert id.
 */
function decide(alert: AlertWire, tenant: string, startMs: number): DecisionRow {
  const eventTime = Date.parse(alert.startsAt);
  const model = [...REPLAY_MODELS].reverse().find((m) => eventTime >= startMs + m.fromHour * HOUR) ?? REPLAY_MODELS[0];
  const suppress = model.id !== '' && (alert.severity === 'warning' || alert.severity === 'info');
  const h = hashString(alert.id ?? '');
  return decisionRow({
    tenant,
    alertId: alert.id ?? '',
    service: alert.service,
    name: alert.name,
    eventTime,
    modelId: model.id,
    modelVersion: model.version,
    score: model.id === '' ? null : suppress ? 0.2 : 0.8,
    threshold: 0.5,
    decision: suppress ? 'suppress' : 'notify',
    shadowModelId: null,
    shadowScore: null,
    scoringLatencyUs: (1 + (h % 20)) * 1000,
    e2eLatencyUs: (20 + ((h >>> 8) % 200)) * 1000,
    decidedAt: eventTime + (1 + ((h >>> 16) % 90)) * 1000,
  });
}

/**
 * Replays a synthetic world (hush synth) of `days` from `startMs` into ClickHouse through the batch
 * writers: a decision for every firing alert first, then the outcomes, as labels arrive after decisions.
 */
export async function replayWorld(client: ClickHouseClient, options: { tenant: string; startMs: number; days: number; alerts: number }): Promise<ReplaySummary> {
  const decisions = new BatchWriter<DecisionRow>(client, { table: 'decisions', flushDelayMs: 0 });
  const labels: OutcomeRow[] = [];
  const decisionsByModel = new Map<string, number>();
  const writes: Promise<void>[] = [];
  for (const record of generateWorld({ seed: 11, tenant: options.tenant, days: options.days, startMs: options.startMs, alerts: options.alerts })) {
    if (record.kind === 'alert' && record.alert.status === 'firing') {
      const row = decide(record.alert, options.tenant, options.startMs);
      decisionsByModel.set(row.model_id, (decisionsByModel.get(row.model_id) ?? 0) + 1);
      writes.push(decisions.write(row));
    } else if (record.kind === 'outcome') {
      const o = record.outcome;
      labels.push(outcomeRow({ tenant: options.tenant, alertId: o.alertId, outcome: o.outcome, at: Date.parse(o.at), source: o.source }));
    }
  }
  await Promise.all(writes);
  await decisions.shutdown();
  const outcomes = new BatchWriter<OutcomeRow>(client, { table: 'outcomes', flushDelayMs: 0 });
  await Promise.all(labels.map((row) => outcomes.write(row)));
  await outcomes.shutdown();
  return { decisionsByModel, outcomes: labels.length };
}

/**
 * The pipeline history the training dashboard shows, written through the roles' own stores: two
 * registered models (one promoted, one rejected), an optimised threshold, a drift report and the
 * retraining decision taken after it. Redis keys live under `keyPrefix`.
 */
export async function recordPipelineHistory(clickhouse: ClickHouseClient, redis: Redis, tenant: string, keyPrefix: string): Promise<void> {
  const registry = new ModelRegistry(clickhouse, redis, keyPrefix);
  const now = Date.now();
  const models: string[] = [];
  for (const family of ['gbdt', 'mlp']) {
    const { modelId } = await registry.register({
      tenant,
      kind: 'noise',
      family,
      onnx: buildLogisticModel([0.5, -0.25], 0.1),
      featureSchemaVersion: 1,
      nFeatures: 2,
      metrics: { holdout: { noiseReduction: 0.6, fnr: 0.01 } },
      trainingWindow: { start: now - 3 * 24 * HOUR, end: now - HOUR },
      datasetHash: 'b'.repeat(64),
      referenceProfile: {},
    });
    models.push(modelId);
  }
  const [champion = '', challenger = ''] = models;
  await registry.promote(tenant, 'noise', champion, 'beat the cold-start rule on the holdout');
  await registry.reject(tenant, 'noise', challenger, 'missed more actionable alerts than the champion');
  const thresholds = new ThresholdRegistry({ redis, clickhouse, thresholds: new ThresholdStore({ redis, keyPrefix, cacheTtlMs: 0 }), keyPrefix });
  await thresholds.replaceOptimised(tenant, new Map([['checkout', 0.62]]), 'tuned on the last week of labels', { fnr: 0.01 });
  await writeDriftReport(clickhouse, {
    tenant,
    kind: 'noise',
    modelId: champion,
    windowKind: 'tumbling',
    from: now - 2 * HOUR,
    to: now - HOUR,
    rows: 1200,
    features: [],
    driftedShare: 0.25,
    datasetDrift: false,
    concept: { labelled: 0, actionableShare: null, referenceActionableShare: null, labelMix: null, calibration: null, performance: { decided: 0, noiseReduction: 0, fnr: null }, options: {} },
    computedAt: now - HOUR,
  });
  await writeRetrainingDecision(clickhouse, {
    tenant,
    kind: 'noise',
    modelId: champion,
    at: now - HOUR,
    decision: { action: 'wait', trigger: 'none', urgent: false, blockedBy: null, reason: 'no drift, schedule not due', volumeClass: 'medium', nextScheduledAt: now + 24 * HOUR, evidence: {} },
    jobId: null,
  });
}
