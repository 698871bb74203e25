import { servingBaseline } from '../../shared/evaluation/serving-baseline.js';
import type { ModelEvent } from '../../shared/models/model-registry.js';

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
