import { sortedQuantile } from '../stats/quantile.js';
import type { BaselineDecision } from './baseline.js';
import { type NoiseFigures, noiseFigures } from './noise-figures.js';

/** How many alerts one rule of a baseline decided, and how many of those were actionable. */
export interface ReasonCount {
  decision: BaselineDecision['decision'];
  alerts: number;
  actionable: number;
}

/** A baseline's figures on one stream (DESIGN §4) with the notification delay it adds. */
export interface BaselineScore extends NoiseFigures {
  baseline: string;
  /** Decided alerts with no truth line (counted as noise). */
  unlabelled: number;
  /** Mean event-time delay added to notified alerts (0 when none). */
  delay_mean_ms: number;
  /** 95th percentile of that delay (linear interpolation, numpy's default; 0 when none). */
  delay_p95_ms: number;
  /** Decisions by the rule that made them, so that a reader can see where the false negatives come from. */
  reasons: Record<string, ReasonCount>;
}

/** Scores a baseline's decisions against the ground truth (alert id → actionable). */
export function scoreBaseline(baseline: string, decisions: ReadonlyMap<string, BaselineDecision>, truth: ReadonlyMap<string, boolean>): BaselineScore {
  const delays: number[] = [];
  const reasons: Record<string, ReasonCount> = {};
  let unlabelled = 0;
  for (const [id, decided] of decisions) {
    if (decided.decision === 'notify') delays.push(decided.delayMs);
    const actionable = truth.get(id);
    if (actionable === undefined) unlabelled += 1;
    const count = (reasons[decided.reason] ??= { decision: decided.decision, alerts: 0, actionable: 0 });
    count.alerts += 1;
    if (actionable === true) count.actionable += 1;
  }
  const sorted = Float64Array.from(delays).sort();
  const total = sorted.reduce((sum, d) => sum + d, 0);
  return {
    baseline,
    ...noiseFigures(decisions, truth),
    unlabelled,
    delay_mean_ms: sorted.length > 0 ? total / sorted.length : 0,
    delay_p95_ms: sorted.length > 0 ? sortedQuantile(sorted, 0.95) : 0,
    reasons,
  };
}
