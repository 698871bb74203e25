/** The knobs of promotion, threshold choice and rollback (one object, so a run records what it used). */
export interface EvaluationPolicy {
  /** Largest acceptable false-negative rate, judged by its upper confidence bound. @defaultValue 0.01 */
  fnrTarget: number;
  /** Labelled alerts after the challenger's training window needed before judging it. @defaultValue 400 */
  minEvaluationRows: number;
  /**
   * Share of those alerts (chosen by a hash of the alert id) that thresholds are tuned on; the rest judge.
   * 1 (the default): thresholds are certified by fixed-sequence testing on every alert
   * (threshold-optimiser.ts), which needs no held-out part, and the challenger is judged on the same
   * alerts. @defaultValue 1
   */
  tuneFraction: number;
  /** Relative drop of the live champion's noise reduction that triggers a rollback. @defaultValue 0.1 */
  degradation: number;
  /** Labelled live decisions needed before the champion is judged for rollback. @defaultValue 200 */
  minLiveLabels: number;
  /**
   * Largest share of noise alerts believed to be labelled actionable by mistake; FNR bounds are corrected
   * for the share estimated from the data, capped at this (shared/evaluation/label-noise.ts). @defaultValue 0.05
   */
  maxLabelNoise: number;
  /**
   * Thresholds are tuned to this share of `fnrTarget`. Below 1 it is a margin for judging on a held-out
   * part (`tuneFraction` < 1), where a threshold tuned to the edge of the target fails an independent
   * sample about half the time; certified on every alert it needs none. @defaultValue 1
   */
  tuningTargetShare: number;
  /**
   * With no challenger pending, the live champion's thresholds are re-tuned and re-certified once the
   * last re-certification (or promotion) is this old: thresholds follow the alerts between trainings,
   * which the retraining policy spaces out. 0 turns it off. @defaultValue 7 d (docs/evaluation.md: why)
   */
  recertifyEveryMs: number;
  /**
   * The scheduled re-certification tunes on the labelled alerts of this last stretch (those after the
   * champion's training window): recent enough to follow the alerts. @defaultValue 14 d (docs/evaluation.md: why)
   */
  recertifyWindowMs: number;
}

export const DEFAULT_EVALUATION_POLICY: Readonly<EvaluationPolicy> = Object.freeze({
  fnrTarget: 0.01,
  minEvaluationRows: 400,
  tuneFraction: 1,
  degradation: 0.1,
  minLiveLabels: 200,
  maxLabelNoise: 0.05,
  tuningTargetShare: 1,
  recertifyEveryMs: 7 * 86_400_000,
  recertifyWindowMs: 14 * 86_400_000,
});
