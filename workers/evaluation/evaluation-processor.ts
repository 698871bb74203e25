import type { ClickHouseClient } from '@clickhouse/client';
import type { EvaluationJob, EvaluationJobResult } from '../../queues/jobs.js';
import { liveLabelledDecisions } from '../../shared/clickhouse/queries/live-labelled-decisions.js';
import { fromDateTime } from '../../shared/clickhouse/rows.js';
import { HushError } from '../../shared/errors/index.js';
import { servingBaseline } from '../../shared/evaluation/serving-baseline.js';
import type { ArtifactSource } from '../../shared/models/model-cache.js';
import type { ModelEvent, ModelRegistry, PointerMove } from '../../shared/models/model-registry.js';
import { OnnxModel } from '../../shared/onnx/onnx-model.js';
import { FEATURE_COUNT, FEATURE_SCHEMA_VERSION } from '../scoring/feature-schema.js';
import { readLabelledSet, selectLabelledRows, type LabelledSet } from '../training/dataset.js';
import { scoredParts, splitForEvaluation } from './evaluation-split.js';
import type { EvaluationPolicy } from './evaluation-policy.js';
import { judgeChallenger, judgeChampion, type ChampionReference, type ModelScores } from './judge.js';
import { keptChampionThresholds } from './kept-champion.js';
import { recertificationFrom, recertifyOnSet, thresholdsCheckedAt } from './recertification-schedule.js';

/** What an evaluation run needs from its process. */
export interface EvaluationDependencies {
  clickhouse: ClickHouseClient;
  registry: ModelRegistry;
  artifacts: ArtifactSource;
  thresholds: {
    /** Thresholds a person pinned, by service: the optimiser keeps them and judges with them. */
    pinned(tenant: string): Promise<ReadonlyMap<string, number>>;
    /**
     * Makes the per-service thresholds of a newly promoted model, or a kept champion's re-certified ones,
     * the whole optimised set: services missing from them lose theirs (pinned ones are left alone). Only
     * while `champion` (null: none) is still the champion of (tenant, kind), checked atomically with the
     * write; otherwise nothing changes and it throws `HUSH_ERR_CONFLICT`. With `promote`, the same step
     * makes that model the champion.
     */
    apply(tenant: string, thresholds: ReadonlyMap<string, number>, reason: string, evidence: Record<string, unknown>, champion: { kind: string; modelId: string | null }, promote?: string): Promise<void>;
    /** A rollback's flip: serves the thresholds `move.next` was evaluated at, as `history` records them (none known: the default), and moves the pointer to it in the same step. */
    serve(tenant: string, move: PointerMove, history: readonly ModelEvent[], reason: string): Promise<void>;
  };
  policy: EvaluationPolicy;
  /** The clock of the scheduled re-certification (epoch ms). */
  now(): number;
}

const SECOND_MS = 1_000;

/**
 * One evaluation of (tenant, kind): judge the pending challenger against the champion on the same
 * labelled alerts that neither was trained on, promote it (with optimised per-service thresholds) or
 * reject it; otherwise watch the live champion and roll it back when it degrades, and when it stays,
 * re-certify its thresholds once they are `recertifyEveryMs` old.
 */
export async function runEvaluation(job: EvaluationJob, deps: EvaluationDependencies): Promise<EvaluationJobResult> {
  const { tenant, kind } = job;
  const [championId, challengerId] = await Promise.all([deps.registry.champion(tenant, kind), deps.registry.challenger(tenant, kind)]);
  try {
    if (challengerId !== null) return await evaluateChallenger(job, deps, championId, challengerId);
    if (championId !== null) {
      const history = await deps.registry.history(tenant, kind);
      const watched = await watchChampion(job, deps, championId, history);
      return watched.action === 'kept' ? await recertifyWhenDue(job, deps, championId, history, watched) : watched;
    }
  } catch (thrown) {
    // A promotion or rollback by hand landed while this run judged: its thresholds were for a champion
    // that no longer serves, so nothing was applied or recorded, and the next run judges afresh.
    if (!(thrown instanceof HushError && thrown.code === 'HUSH_ERR_CONFLICT')) throw thrown;
    const now = await deps.registry.champion(tenant, kind);
    return { action: 'kept', reason: `the champion changed from ${championId ?? 'none'} to ${now ?? 'none'} during the evaluation; nothing applied`, champion: now, challenger: challengerId, evidence: {} };
  }
  return { action: 'nothing-to-evaluate', reason: 'no champion and no challenger yet (cold start)', champion: null, challenger: null, evidence: {} };
}

async function evaluateChallenger(job: EvaluationJob, deps: EvaluationDependencies, championId: string | null, challengerId: string): Promise<EvaluationJobResult> {
  const { tenant, kind } = job;
  const summaries = await deps.registry.list(tenant, kind);
  const challenger = summaries.find((m) => m.modelId === challengerId);
  if (!challenger) return { action: 'kept', reason: `challenger ${challengerId} is not in the registry`, champion: championId, challenger: challengerId, evidence: {} };
  // Only alerts after the challenger's training window: neither model saw their labels when trained
  // (a champion is older than its challenger). Window ends are stored to the second.
  const from = fromDateTime(challenger.trainingWindow.end) + SECOND_MS;
  const set = await readLabelledSet(deps.clickhouse, { tenant, featureSchemaVersion: FEATURE_SCHEMA_VERSION, nFeatures: FEATURE_COUNT, from });
  const rows = splitForEvaluation(set, deps.policy.tuneFraction);
  if (set.nRows < deps.policy.minEvaluationRows || rows.tune.length === 0 || rows.test.length === 0) {
    return { action: 'kept', reason: `waiting for labels: ${set.nRows} labelled alerts after ${challengerId}'s training window, ${deps.policy.minEvaluationRows} needed`, champion: championId, challenger: challengerId, evidence: { labelled: set.nRows } };
  }
  // Thresholds are tuned on one part and judged on the other, never on the same alerts.
  const verdict = judgeChallenger(
    scoredParts(await scoresOf(deps, tenant, championId, set), rows),
    scoredParts(await scoresOf(deps, tenant, challengerId, set), rows),
    selectLabelledRows(set, rows.tune),
    selectLabelledRows(set, rows.test),
    deps.policy,
    await deps.thresholds.pinned(tenant),
  );
  if (!verdict.promote) {
    // The champion was judged at thresholds re-tuned on these alerts: when they pass promotion's FNR
    // rules it serves with them from now on, and the reject event records their figures as its baseline.
    const kept = championId === null ? null : keptChampionThresholds(verdict, championId);
    const evidence = { ...verdict.evidence, challengerMetrics: challenger.metrics, ...kept?.evidence };
    const reason = verdict.champion === null ? verdict.reason : `${verdict.reason}; ${verdict.champion.decision.reason}`;
    if (kept !== null) await deps.thresholds.apply(tenant, kept.thresholds, `re-certified for ${championId as string} when ${challengerId} was rejected`, kept.evidence, { kind, modelId: championId });
    await deps.registry.reject(tenant, kind, challengerId, reason, evidence);
    return { action: 'kept', reason, champion: championId, challenger: challengerId, evidence };
  }
  const evidence = { ...verdict.evidence, challengerMetrics: challenger.metrics };
  // Thresholds and pointer in one step, guarded by the champion judged: both land or neither does.
  await deps.registry.promote(tenant, kind, challengerId, verdict.reason, evidence, () =>
    deps.thresholds.apply(tenant, verdict.thresholds, `optimised for ${challengerId}`, evidence, { kind, modelId: championId }, challengerId),
  );
  return { action: 'promoted', reason: verdict.reason, champion: challengerId, challenger: null, evidence };
}

async function watchChampion(job: EvaluationJob, deps: EvaluationDependencies, championId: string, history: readonly ModelEvent[]): Promise<EvaluationJobResult> {
  const { tenant, kind } = job;
  const installed = [...history].reverse().find((e) => e.modelId === championId && (e.action === 'promote' || e.action === 'rollback'));
  // Thresholds re-certified after the champion was installed are the ones its live decisions since then were made with.
  const baseline = servingBaseline(history, championId);
  const recertified = baseline?.source === 're-certification' && (installed === undefined || Date.parse(baseline.at) >= Date.parse(installed.at)) ? baseline : null;
  const since = recertified !== null ? Date.parse(recertified.at) : installed ? Date.parse(installed.at) : 0;
  const live = await liveLabelledDecisions(deps.clickhouse, tenant, championId, since);
  const verdict = judgeChampion(live, recertified ?? (installed?.evidence.challenger as ChampionReference | undefined), deps.policy);
  if (!verdict.rollback) return { action: 'kept', reason: verdict.reason, champion: championId, challenger: null, evidence: verdict.evidence };
  // Guarded by the champion the verdict is about: one promoted by hand during the watch is not rolled back.
  const change = await deps.registry.rollback(tenant, kind, verdict.reason, verdict.evidence, (move, events) =>
    deps.thresholds.serve(tenant, { ...move, value: championId }, events, `rolled back from ${championId}: ${verdict.reason}`),
  );
  return { action: 'rolled-back', reason: verdict.reason, champion: change.current, challenger: null, evidence: verdict.evidence };
}

/**
 * The scheduled re-certification. The retraining policy trains only when it pays, so a champion can
 * serve for weeks; its thresholds, tuned on the alerts of its evaluation, should follow the alerts in
 * between, as a weekly training's evaluation would re-tune them. Once the last change of its thresholds
 * (installation, re-certification, or the last attempt) is `recertifyEveryMs` old, they are re-tuned on
 * the labelled alerts of the last `recertifyWindowMs` that the champion was not trained on, and applied
 * when they pass promotion's FNR rules (recertifyChampion). Every attempt is a `recertify` event of the
 * registry with its reason and evidence (under `recertified` when applied), so the next waits a period.
 */
async function recertifyWhenDue(job: EvaluationJob, deps: EvaluationDependencies, championId: string, history: readonly ModelEvent[], watched: EvaluationJobResult): Promise<EvaluationJobResult> {
  const { tenant, kind } = job;
  const { recertifyEveryMs, recertifyWindowMs } = deps.policy;
  if (!(recertifyEveryMs > 0)) return watched;
  const now = deps.now();
  if (now - thresholdsCheckedAt(history, championId) < recertifyEveryMs) return watched;
  const models = await deps.registry.list(tenant, kind);
  const model = models.find((m) => m.modelId === championId);
  if (model === undefined) return watched;
  // The newest other model (the list is newest first): its scores keep the label-noise estimate from
  // counting the champion's ranking errors as label noise (recertifyOnSet). Unloadable: the champion's
  // own estimate, and the evidence says why.
  const candidate = models.find((m) => m.modelId !== championId && m.featureSchemaVersion === FEATURE_SCHEMA_VERSION);
  const reference: { modelId: string | null; scored: boolean; error?: string } = { modelId: candidate?.modelId ?? null, scored: false };
  const referenceScores = async (s: LabelledSet): Promise<ModelScores> => {
    try {
      const scores = await scoresOf(deps, tenant, reference.modelId, s);
      reference.scored = scores !== null;
      return scores;
    } catch (thrown) {
      reference.error = thrown instanceof Error ? thrown.message : String(thrown);
      return null;
    }
  };
  const from = recertificationFrom(fromDateTime(model.trainingWindow.end), now, recertifyWindowMs);
  const set = await readLabelledSet(deps.clickhouse, { tenant, featureSchemaVersion: FEATURE_SCHEMA_VERSION, nFeatures: FEATURE_COUNT, from });
  const recertified = await recertifyOnSet(set, from, championId, deps.policy, await deps.thresholds.pinned(tenant), (s) => scoresOf(deps, tenant, championId, s), referenceScores);
  const { thresholds, reason } = recertified;
  const evidence = { ...recertified.evidence, labelNoiseReference: reference };
  if (thresholds !== null) await deps.thresholds.apply(tenant, thresholds, `re-certified for ${championId} (scheduled)`, evidence, { kind, modelId: championId });
  await deps.registry.recertify(tenant, kind, championId, reason, evidence);
  return { action: thresholds === null ? 'kept' : 'recertified', reason: `${watched.reason}; ${reason}`, champion: championId, challenger: null, evidence: { ...watched.evidence, ...evidence } };
}

/** Scores of `modelId` on `set`, or null for cold start (no model: everything notified). */
async function scoresOf(deps: EvaluationDependencies, tenant: string, modelId: string | null, set: LabelledSet): Promise<ModelScores> {
  if (modelId === null) return null;
  const artifact = await deps.artifacts.load(tenant, modelId);
  if (artifact === null) return null;
  const model = await OnnxModel.load(artifact.bytes, artifact.meta, { featureSchemaVersion: FEATURE_SCHEMA_VERSION, nFeatures: FEATURE_COUNT });
  try {
    const rows = Array.from({ length: set.nRows }, (_, r) => set.features.subarray(r * set.nFeatures, (r + 1) * set.nFeatures));
    return rows.length === 0 ? new Float32Array(0) : await model.score(rows);
  } finally {
    await model.release();
  }
}
