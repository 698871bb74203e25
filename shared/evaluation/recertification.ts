import { fnrBounds, type LabelNoise } from './label-noise.js';
import type { ModelFigures } from './model-figures.js';
import { DEFAULT_PROMOTION_POLICY } from './promotion-policy.js';
import { assertCount, assertOpenUnit } from './validate.js';

/** The rules a kept champion's re-tuned thresholds must pass (promotion's FNR rules, without a comparison). */
export interface RecertificationPolicy {
  /** @defaultValue 0.01 */
  fnrTarget?: number;
  /** @defaultValue 0.95 */
  confidence?: number;
  /** Fewest labelled actionable alerts (promotion's `minActionable`). @defaultValue 300 */
  minActionable?: number;
}

/** Whether a kept champion serves with thresholds re-tuned on the evaluation alerts, and the figures that say so. */
export interface RecertificationDecision {
  certified: boolean;
  rule: 'certified' | 'too-few-actionable' | 'fnr-bound-above-target';
  reason: string;
  evidence: {
    alerts: number;
    actionable: number;
    /** Noise reduction at the re-tuned thresholds on the judging alerts: the new reference of the live figures. */
    noiseReduction: number;
    missed: number;
    fnr: number | null;
    fnrUpper: number;
    fnrTarget: number;
    confidence: number;
    /** The label-noise estimate the bound was corrected with (absent: labels taken as true). */
    labelNoise?: LabelNoise;
  };
}

/**
 * Decides whether a champion the evaluation keeps may serve with its thresholds re-tuned on the
 * evaluation alerts. The evaluation judged the challenger against the champion *at those thresholds*
 * (certified by the optimiser's fixed-sequence test on alerts neither model was trained on), so they are
 * what "keep the champion" was decided for. They are applied only when they pass the FNR rules a
 * promoted challenger's thresholds pass (promotion's rules 1 and 2): at least `minActionable` labelled
 * actionable alerts, and the FNR upper bound for the per-service mix, corrected with `labelNoise` (the
 * evaluation's one estimate for both models, judge.ts), within target. `figures` are the champion's on the judging
 * alerts at the re-tuned thresholds.
 */
export function decideRecertification(figures: ModelFigures, policy: RecertificationPolicy = {}, labelNoise?: LabelNoise): RecertificationDecision {
  const p = { fnrTarget: DEFAULT_PROMOTION_POLICY.fnrTarget, confidence: DEFAULT_PROMOTION_POLICY.confidence, minActionable: DEFAULT_PROMOTION_POLICY.minActionable, ...policy };
  assertOpenUnit('fnrTarget', p.fnrTarget);
  assertOpenUnit('confidence', p.confidence);
  assertCount('minActionable', p.minActionable);
  const fnrUpper = fnrBounds(figures, p.confidence, labelNoise).upper;
  const evidence: RecertificationDecision['evidence'] = {
    alerts: figures.alerts,
    actionable: figures.actionable,
    noiseReduction: figures.noiseReduction,
    missed: figures.missed,
    fnr: figures.fnr,
    fnrUpper,
    fnrTarget: p.fnrTarget,
    confidence: p.confidence,
    ...(labelNoise === undefined ? {} : { labelNoise }),
  };
  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  if (figures.actionable < p.minActionable) {
    return { certified: false, rule: 'too-few-actionable', reason: `champion's thresholds not re-certified: only ${figures.actionable} labelled actionable alerts, ${p.minActionable} needed`, evidence };
  }
  if (fnrUpper > p.fnrTarget) {
    return { certified: false, rule: 'fnr-bound-above-target', reason: `champion's thresholds not re-certified: FNR upper bound ${pct(fnrUpper)} exceeds the ${pct(p.fnrTarget)} target`, evidence };
  }
  return { certified: true, rule: 'certified', reason: `champion's thresholds re-certified: noise reduction ${pct(figures.noiseReduction)}, FNR upper bound ${pct(fnrUpper)} ≤ ${pct(p.fnrTarget)}`, evidence };
}
