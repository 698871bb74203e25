import type { ClickHouseClient } from '@clickhouse/client';
import type { DriftJob, DriftJobResult } from '../../queues/drift-queue.js';
import type { TrainingJob } from '../../queues/jobs.js';
import { driftWindowConcept } from '../../shared/clickhouse/queries/drift-window-concept.js';
import { labelledAlertCounts } from '../../shared/clickhouse/queries/labelled-alert-counts.js';
import { labelledAlertTimes } from '../../shared/clickhouse/queries/labelled-alert-times.js';
import { lastTraining } from '../../shared/clickhouse/queries/last-training.js';
import { modelReference } from '../../shared/clickhouse/queries/model-reference.js';
import type { ModelEvent } from '../../shared/models/model-registry.js';
import type { Logger } from '../../shared/observability/logger.js';
import { servingBaseline } from '../../shared/evaluation/serving-baseline.js';
import { FEATURE_SCHEMA_VERSION } from '../scoring/feature-schema.js';
import { conceptDrift } from './concept-drift.js';
import { driftWindowBounds } from './drift-window-bounds.js';
import type { DriftOptions } from './drift-options.js';
import { storedEvaluationActionable } from './evaluation-evidence.js';
import { writeDriftReport, writeRetrainingDecision } from './drift-report-store.js';
import { measureWindow } from './measure-window.js';
import { guardReferenceProfile } from './reference-profile-guard.js';
import { decideRetraining, labelSettledWindow, rejectedInARow, type RetrainingInputs, type RetrainingPolicyOptions } from './retraining-policy.js';
import { judgeWindow } from './window-verdict.js';

/** Labelled alerts per day are averaged over this span to pick a tenant's volume class. */
export const VOLUME_WINDOW_MS = 7 * 86_400_000;

/** What a drift check needs from its process. */
export interface DriftDependencies {
  clickhouse: ClickHouseClient;
  /** The champion pointer and the registry history: the champion's baseline, the challengers rejected since (ModelRegistry). */
  champions: { champion(tenant: string, kind: string): Promise<string | null>; history(tenant: string, kind: string): Promise<ModelEvent[]> };
  /** The training queue: `request` deduplicates per (tenant, kind); `inFlight` says whether one waits or runs. */
  training: { request(job: TrainingJob): Promise<string>; inFlight(tenant: string, kind: string): Promise<boolean> };
  options: DriftOptions;
  policy: RetrainingPolicyOptions;
  now: () => number;
  logger: Pick<Logger, 'info'>;
}

/**
 * One drift check: the window's statistics against the champion's reference profile (aggregated in
 * ClickHouse), concept drift from decisions ⨝ outcomes, a report row, then the retraining policy (live
 * performance from the label-settled window, the labelled actionable alerts an evaluation would judge
 * a challenger on), whose decision is logged, stored, and acted on through the
 * training queue.
 */
export async function runDriftCheck(job: DriftJob, deps: DriftDependencies): Promise<DriftJobResult> {
  const { tenant, kind } = job;
  const now = deps.now();
  const { from, to } = driftWindowBounds(job, now);
  const championId = await deps.champions.champion(tenant, kind);
  const history = await deps.champions.history(tenant, kind);
  const reference = championId === null ? null : await modelReference(deps.clickhouse, tenant, championId);
  const profile = reference === null ? (championId === null ? 'no champion yet' : `champion ${championId} is not in the registry`) : guardReferenceProfile(reference.referenceProfile);

  let summary: string;
  let dataDrift: RetrainingInputs['dataDrift'] = null;
  let performance: RetrainingInputs['performance'] = null;
  if (typeof profile === 'string') {
    summary = `no drift report: ${profile}`;
  } else {
    const window = { tenant, featureSchemaVersion: profile.featureSchemaVersion, from, to };
    const measured = await measureWindow(deps.clickhouse, window, profile, deps.options);
    const { features, counted, drifted, driftedShare, datasetDrift } = judgeWindow(profile.features, measured.stats, deps.options);
    const windowConcept = await driftWindowConcept(deps.clickhouse, tenant, championId as string, from, to);
    const concept = conceptDrift(windowConcept, profile, deps.options);
    await writeDriftReport(deps.clickhouse, {
      tenant, kind, modelId: championId as string, windowKind: job.windowKind, from, to, rows: measured.rows, features, driftedShare, datasetDrift,
      concept: { ...concept, options: { ...deps.options } }, computedAt: now,
    });
    const outside = features.filter((f) => !f.inShare && f.drifted).map((f) => `${f.name} (${f.role})`);
    summary = features.length === 0
      ? `${measured.rows} rows in the ${job.windowKind} window: too few to judge (minimum ${deps.options.minWindowRows})`
      : `${drifted.length}/${counted} features drifted (${drifted.map((f) => f.name).join(', ') || 'none'}) over ${measured.rows} rows; dataset drift ${datasetDrift ? 'yes' : 'no'}${outside.length > 0 ? `; not counted: ${outside.join(', ')}` : ''}`;
    if (counted > 0) dataDrift = { datasetDrift, driftedShare, driftedFeatures: drifted.map((f) => f.name), window: `${job.windowKind} ${new Date(from).toISOString()}–${new Date(to).toISOString()}`, windowMs: to - from, referenceSpanMs: reference?.trainingWindowMs ?? 0 };
    // The baseline is what the evaluation measured at the thresholds the champion serves with (its
    // promotion, or a later evaluation that kept it and re-certified its thresholds), as the rollback
    // watch uses; the holdout figure is at the default threshold, another quantity.
    const baseline = servingBaseline(history, championId as string);
    // Performance is judged on alerts old enough for their labels to have arrived (noise is labelled
    // late), decided with the thresholds the baseline was measured at.
    const settled = labelSettledWindow({ from, to }, deps.policy, baseline);
    const settledConcept = settled.from === from ? windowConcept : await driftWindowConcept(deps.clickhouse, tenant, championId as string, settled.from, settled.to);
    performance = {
      metric: 'noiseReduction',
      baseline: baseline?.noiseReduction ?? null,
      baselineSource: baseline === null ? 'no promotion evidence' : `${baseline.source} ${baseline.at}`,
      window: `${new Date(settled.from).toISOString()}–${new Date(settled.to).toISOString()}`,
      days: settledConcept.decidedDays,
      dailySpread: baseline?.dailySpread ?? null,
      labelled: settledConcept.decided,
      suppressed: settledConcept.suppressed,
      actionable: settledConcept.decidedActionable,
      missed: settledConcept.missed,
      labelNoise: baseline?.labelNoise ?? null,
    };
  }

  const last = await lastTraining(deps.clickhouse, tenant, kind);
  const labels = await labelledAlertCounts(deps.clickhouse, tenant, now - VOLUME_WINDOW_MS, last?.at ?? 0);
  const decision = decideRetraining({
    now,
    dataDrift,
    performance,
    labelsPerDay: labels.sinceVolume / (VOLUME_WINDOW_MS / 86_400_000),
    newLabels: labels.sinceTraining,
    // The alerts training and evaluation read: those with features of the schema the scoring worker stores.
    evaluationActionable: await storedEvaluationActionable(labelledAlertTimes(deps.clickhouse, tenant, FEATURE_SCHEMA_VERSION)),
    lastTrainingAt: last?.at ?? null,
    trainingRows: last?.trainRows ?? null,
    lastTrainingPromoted: last !== null && last.modelId === championId,
    rejectedInARow: rejectedInARow(history),
    trainingInFlight: await deps.training.inFlight(tenant, kind),
  }, deps.policy);
  let jobId: string | null = null;
  if (decision.action === 'train') {
    const family = reference?.metrics.family === 'mlp' ? 'mlp' : 'gbdt';
    jobId = await deps.training.request({ tenant, kind, family, params: {}, requestedBy: `policy:${decision.trigger}` });
  }
  await writeRetrainingDecision(deps.clickhouse, { tenant, kind, modelId: championId ?? '', at: now, decision, jobId });
  deps.logger.info({ tenant, kind, windowKind: job.windowKind, from, to, summary, action: decision.action, trigger: decision.trigger, blockedBy: decision.blockedBy, reason: decision.reason, jobId }, 'drift check');
  return {
    status: typeof profile === 'string' ? 'skipped' : 'reported',
    summary,
    datasetDrift: dataDrift?.datasetDrift ?? null,
    decision: { action: decision.action, trigger: decision.trigger, reason: decision.reason, jobId },
  };
}
