import { servingBaseline } from '../../shared/evaluation/serving-baseline.js';
import type { ModelEvent } from '../../shared/models/model-registry.js';
import { selectLabelledRows, type LabelledSet } from '../training/dataset.js';
import { scoredParts, splitForEvaluation } from './evaluation-split.js';
import type { EvaluationPolicy } from './evaluation-policy.js';
import { recertifyChampion, type ModelScores } from './judge.js';
import { certifiedThresholds } from './kept-champion.js';

/**
 * When `championId`'s thresholds were last set or looked at (epoch ms; 0 when the history says
 * nothing): its installation (`promote`, `rollback`), the latest event that set its thresholds
 * (`servingBaseline`: a promotion, or a re-certification by a kept evaluation or on schedule), or the
 * last scheduled attempt (`recertify`, applied or not). The scheduled re-certification waits
 * `recertifyEveryMs` after it; the evaluation worker and the retraining replay both ask this.
 */
export function thresholdsCheckedAt(history: readonly ModelEvent[], championId: string): number {
  const baseline = servingBaseline(history, championId);
  const last = [...history].reverse().find((e) => e.modelId === championId && (e.action === 'promote' || e.action === 'rollback' || e.action === 'recertify'));
  return Math.max(baseline === null ? 0 : Date.parse(baseline.at), last === undefined ? 0 : Date.parse(last.at));
}

/**
 * The labelled alerts a scheduled re-certification tunes on start here: the last `windowMs` before
 * `now`, and never inside the champion's own training window (stored to the second).
 */
export function recertificationFrom(trainingWindowEnd: number, now: number, windowMs: number): number {
  return Math.max(trainingWindowEnd + 1_000, now - windowMs);
}

/** What a scheduled re-certification decided: thresholds to apply (null: the served ones stay), and its `recertify` event's reason and evidence. */
export interface ScheduledRecertification {
  thresholds: ReadonlyMap<string, number> | null;
  reason: string;
  evidence: Record<string, unknown>;
}

/**
 * Champion `championId`'s thresholds re-tuned on `set` (its labelled alerts since `from`) and judged by
 * promotion's FNR rules (recertifyChampion), scoring the set with `score` (null: the artifact could not be
 * loaded). With `reference`, the scores of another model of the tenant (the newest one registered
 * besides the champion; null when it cannot be loaded), the label noise is estimated as when the two are
 * judged against each other (judge.ts, sharedLabelNoise): the champion's own anchor estimate counts its
 * ranking errors as label noise. Needs `minEvaluationRows` alerts. The evaluation worker and the
 * retraining replay both decide with it; applied thresholds carry their evidence under `recertified`,
 * others `recertification`.
 */
export async function recertifyOnSet(
  set: LabelledSet,
  from: number,
  championId: string,
  policy: EvaluationPolicy,
  pinned: ReadonlyMap<string, number>,
  score: (set: LabelledSet) => ModelScores | Promise<ModelScores>,
  reference: ((set: LabelledSet) => ModelScores | Promise<ModelScores>) | null = null,
): Promise<ScheduledRecertification> {
  const since = new Date(from).toISOString();
  const alerts = `${set.nRows} labelled alerts since ${since}`;
  const rows = splitForEvaluation(set, policy.tuneFraction);
  if (set.nRows < policy.minEvaluationRows || rows.tune.length === 0 || rows.test.length === 0) {
    return { thresholds: null, reason: `thresholds not re-certified: ${alerts}, ${policy.minEvaluationRows} needed`, evidence: { recertification: { certified: false, alerts: set.nRows, from: since } } };
  }
  const scores = await score(set);
  if (scores === null) {
    return { thresholds: null, reason: "thresholds not re-certified: the champion's artifact could not be loaded", evidence: { recertification: { certified: false, alerts: set.nRows, from: since } } };
  }
  const referenceScores = reference === null ? null : await reference(set);
  const recertification = recertifyChampion(scoredParts(scores, rows), selectLabelledRows(set, rows.tune), selectLabelledRows(set, rows.test), policy, pinned, scoredParts(referenceScores, rows));
  const certified = certifiedThresholds(recertification, championId);
  return {
    thresholds: certified?.thresholds ?? null,
    reason: `scheduled re-certification on ${alerts}: ${recertification.decision.reason}`,
    evidence: certified?.evidence ?? { recertification: { ...recertification.decision.evidence, certified: false, rule: recertification.decision.rule, from: since } },
  };
}
