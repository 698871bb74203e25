import type { Alert } from '../../schemas/alert.js';
import type { NotificationJob } from '../../queues/jobs.js';
import type { OnnxModel } from '../../shared/onnx/onnx-model.js';
import { inCanary } from '../../shared/models/canary-membership.js';
import type { Canary } from '../../shared/models/canary-store.js';
import { alertRow, decisionRow, featureRow, type AlertRow, type DecisionRecord, type DecisionRow, type FeatureRow } from '../../shared/clickhouse/rows.js';
import { FEATURE_SCHEMA_VERSION } from './feature-schema.js';
import { isNoDecision } from './feature-store.js';

/** A durable sink: `write` resolves once the row is stored (RowJournal: staged in Redis; BatchWriter: in ClickHouse). */
export interface RowSink<Row> {
  write(row: Row): Promise<void>;
}

/** A durable sink of many rows: `writeAll` resolves once every row is stored (RowJournal: staged in Redis). */
export interface RowBatchSink<Row> {
  writeAll(rows: readonly Row[]): Promise<void>;
}

/** A model of the tenant (null: none deployed) and its scores of the batch. */
interface ModelScores {
  model: OnnxModel | null;
  scores: Float32Array | null;
}

/** What the scoring processor needs from the rest of the process. */
export interface ScoringDependencies {
  features: { observe(alerts: readonly Alert[]): Promise<Float32Array[]> };
  models: { currentModel(tenant: string): Promise<OnnxModel | null> };
  /** The tenant's challenger, scored in shadow beside the champion and recorded; it decides only in a canary. */
  challengers?: { currentModel(tenant: string): Promise<OnnxModel | null> };
  /** The tenant's canary: the services whose alerts the challenger decides, the champion then in shadow. */
  canaries?: { currentCanary(tenant: string): Promise<Canary | null> };
  thresholds: { getThreshold(tenant: string, service: string): Promise<number> };
  sinks: { alerts: RowBatchSink<AlertRow>; features: RowBatchSink<FeatureRow>; decisions: RowBatchSink<DecisionRow> };
  notifications: { add(jobs: readonly NotificationJob[]): Promise<void> };
  /** Called once per decision (metrics). */
  onDecision?: (decision: DecisionRecord) => void;
}

/**
 * Scores a batch of validated alerts: event-time features, champion score (cold start: notify) or, for
 * the services of a canary, the challenger's, per-service threshold, decision. Resolves only when every row is stored and every notification
 * enqueued, so a job completes only after its decisions are durable (at-least-once; the feature
 * store and ReplacingMergeTree make a retry produce the same single decision).
 */
export class ScoringProcessor {
  constructor(private readonly deps: ScoringDependencies) {}

  async process(alerts: readonly Alert[], enqueuedAt: number, dequeuedAt: number = performance.now()): Promise<DecisionRecord[]> {
    const vectors = await this.deps.features.observe(alerts);
    const firing: { alert: Alert; vector: Float32Array }[] = [];
    alerts.forEach((alert, i) => {
      const vector = vectors[i] as Float32Array;
      if (alert.status === 'firing' && !isNoDecision(vector)) firing.push({ alert, vector });
    });

    const decisions: DecisionRecord[] = [];
    for (const [tenant, group] of groupBy(firing, (f) => f.alert.tenant)) {
      const vectors = group.map((g) => g.vector);
      const [model, challenger, canary] = await Promise.all([
        this.deps.models.currentModel(tenant),
        this.deps.challengers?.currentModel(tenant) ?? null,
        this.deps.canaries?.currentCanary(tenant) ?? null,
      ]);
      const shadow = challenger !== null && challenger.meta.id !== model?.meta.id ? challenger : null;
      // A canary set for an earlier challenger lapses with it.
      const canaryShare = shadow !== null && canary?.modelId === shadow.meta.id ? canary.share : 0;
      const [scores, shadowScores] = await Promise.all([model ? model.score(vectors) : null, shadow ? shadow.score(vectors) : null]);
      const champion: ModelScores = { model, scores };
      const contender: ModelScores = { model: shadow, scores: shadowScores };
      const thresholds = await Promise.all(group.map((g) => this.deps.thresholds.getThreshold(tenant, g.alert.service)));
      const now = Date.now();
      const scoringLatencyUs = Math.round((performance.now() - dequeuedAt) * 1000);
      const e2eLatencyUs = Math.max(0, now - enqueuedAt) * 1000;
      group.forEach(({ alert }, i) => {
        const [decider, watcher] = inCanary(tenant, alert.service, canaryShare) ? [contender, champion] : [champion, contender];
        const score = decider.scores ? (decider.scores[i] as number) : null;
        const threshold = thresholds[i] as number;
        decisions.push({
          tenant,
          alertId: alert.id,
          service: alert.service,
          name: alert.name,
          eventTime: alert.startsAt,
          modelId: decider.model?.meta.id ?? '',
          modelVersion: Number(decider.model?.meta.version ?? 0),
          score,
          threshold,
          decision: score === null || score >= threshold ? 'notify' : 'suppress',
          shadowModelId: watcher.model?.meta.id ?? null,
          shadowScore: watcher.scores ? (watcher.scores[i] as number) : null,
          scoringLatencyUs,
          e2eLatencyUs,
          decidedAt: now,
        });
        this.deps.onDecision?.(decisions[decisions.length - 1] as DecisionRecord);
      });
    }

    await this.store(alerts, firing, decisions);
    return decisions;
  }

  private async store(alerts: readonly Alert[], firing: readonly { alert: Alert; vector: Float32Array }[], decisions: readonly DecisionRecord[]): Promise<void> {
    const { sinks, notifications } = this.deps;
    const alertById = new Map(firing.map((f) => [`${f.alert.tenant}\0${f.alert.id}`, f.alert]));
    await Promise.all([
      sinks.alerts.writeAll(alerts.map((alert) => alertRow(alert))),
      sinks.features.writeAll(
        firing.map(({ alert, vector }) => featureRow({ tenant: alert.tenant, alertId: alert.id, eventTime: alert.startsAt, featureSchemaVersion: FEATURE_SCHEMA_VERSION, values: vector })),
      ),
      sinks.decisions.writeAll(decisions.map((decision) => decisionRow(decision))),
      notifications.add(
        decisions
          .filter((d) => d.decision === 'notify')
          .map((d) => {
            const alert = alertById.get(`${d.tenant}\0${d.alertId}`) as Alert;
            return {
              tenant: d.tenant,
              alertId: d.alertId,
              name: d.name,
              service: d.service,
              severity: alert.severity,
              summary: alert.summary,
              startsAt: alert.startsAt,
              score: d.score,
              threshold: d.threshold,
              modelId: d.modelId || null,
            };
          }),
      ),
    ]);
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
