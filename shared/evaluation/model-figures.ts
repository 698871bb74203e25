import { clopperPearsonUpper, wilson, type BinomialBounds } from './binomial-bounds.js';
import { assertFiniteAll, assertFiniteNumber, assertLabels, assertOpenUnit, assertSameLength, type Numbers } from './validate.js';

/** A decision threshold: one for every alert, or one per alert (per-service thresholds). */
export type Thresholds = number | Numbers;

/** The two figures of DESIGN §4 for one model on labelled alerts, with the bounds the loop decides on. */
export interface ModelFigures {
  /** Labelled alerts scored. */
  alerts: number;
  /** Alerts with score < threshold. */
  suppressed: number;
  /** suppressed / alerts (0 with no alerts). */
  noiseReduction: number;
  /** Two-sided Wilson interval of the noise reduction at the comparison's confidence. */
  noiseReductionBounds: BinomialBounds;
  /** Alerts labelled actionable. */
  actionable: number;
  /** Actionable alerts suppressed (false negatives). */
  missed: number;
  /** missed / actionable; null with no actionable alert. */
  fnr: number | null;
  /** One-sided Clopper–Pearson upper bound of the FNR (1 with no actionable alert: nothing is known). */
  fnrUpper: number;
  /** Alerts with score ≥ threshold. */
  notified: number;
  /** Notified alerts labelled actionable. */
  notifiedActionable: number;
  /** notifiedActionable / notified; null when nothing was notified. */
  notifyPrecision: number | null;
}

/**
 * Whether alert `i` is suppressed: the scoring worker's rule (workers/scoring/scoring-processor.ts)
 * notifies when `score >= threshold`, so suppression is the strict `score < threshold`.
 */
export function isSuppressed(score: number, threshold: number): boolean {
  return score < threshold;
}

/** The threshold in force for alert `i`. */
export function thresholdAt(thresholds: Thresholds, i: number): number {
  return typeof thresholds === 'number' ? thresholds : (thresholds[i] as number);
}

/** Validates scores and thresholds against `labels` (same length, finite). */
export function assertScored(name: string, scores: Numbers, thresholds: Thresholds, labels: Numbers): void {
  assertSameLength(`${name}Scores`, scores, 'labels', labels);
  assertFiniteAll(`${name}Scores`, scores);
  if (typeof thresholds === 'number') assertFiniteNumber(`${name}Threshold`, thresholds);
  else {
    assertSameLength(`${name}Threshold`, thresholds, 'labels', labels);
    assertFiniteAll(`${name}Threshold`, thresholds);
  }
}

/**
 * One model's decisions on labelled alerts: all of them, the suppressed ones, and the actionable labels
 * among each (`actionable`, `missed`).
 */
export interface LabelledCounts {
  alerts: number;
  suppressed: number;
  actionable: number;
  missed: number;
}

/** Builds the figures from the four counts of a model's confusion table. */
export function figuresFromCounts(
  counts: LabelledCounts,
  confidence: number,
): ModelFigures {
  const { alerts, suppressed, actionable, missed } = counts;
  const notified = alerts - suppressed;
  const notifiedActionable = actionable - missed;
  return {
    alerts,
    suppressed,
    noiseReduction: alerts === 0 ? 0 : suppressed / alerts,
    noiseReductionBounds: wilson(suppressed, alerts, { confidence }),
    actionable,
    missed,
    fnr: actionable === 0 ? null : missed / actionable,
    fnrUpper: clopperPearsonUpper(missed, actionable, confidence),
    notified,
    notifiedActionable,
    notifyPrecision: notified === 0 ? null : notifiedActionable / notified,
  };
}

/**
 * Noise reduction, FNR (with its Clopper–Pearson upper bound) and notify precision of one model on
 * labelled alerts (`labels[i]` 1 = actionable, 0 = noise).
 */
export function modelFigures(scores: Numbers, labels: Numbers, thresholds: Thresholds, confidence = 0.95): ModelFigures {
  assertLabels('labels', labels);
  assertScored('model', scores, thresholds, labels);
  assertOpenUnit('confidence', confidence);
  let suppressed = 0;
  let actionable = 0;
  let missed = 0;
  for (let i = 0; i < labels.length; i++) {
    const hidden = isSuppressed(scores[i] as number, thresholdAt(thresholds, i));
    if (hidden) suppressed++;
    if (labels[i] === 1) {
      actionable++;
      if (hidden) missed++;
    }
  }
  return figuresFromCounts({ alerts: labels.length, suppressed, actionable, missed }, confidence);
}
