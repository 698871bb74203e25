import { clopperPearsonUpper } from '../../shared/evaluation/binomial-bounds.js';
import { correctedFnr, estimateLabelNoise } from '../../shared/evaluation/label-noise.js';
import { DEFAULT_EVALUATION_POLICY } from '../../workers/evaluation/evaluation-policy.js';

/** A labelled alert the evaluation certifies on: its label and its ground truth. */
export interface JudgedLabel {
  labelledActionable: boolean;
  actionable: boolean;
}

/**
 * The most noise reduction a certified FNR ≤ target could claim on a set of labelled alerts, whatever the
 * model: both figures rank the alerts perfectly (every truly-noise alert below every truly actionable one),
 * so what stops them is the labels alone.
 */
export interface CertificationCeiling {
  alerts: number;
  /** Truly actionable alerts among them, and those labelled actionable. */
  actionable: number;
  labelled_actionable: number;
  /** Share of the truly-noise alerts labelled actionable (the flips a bound must allow for). */
  flip_rate: number;
  /** Hush's certificate (label noise estimated on the lowest-scored alerts, `correctedFnr`'s upper bound). */
  perfect_ranking: number;
  /**
   * A certificate told what no deployment knows: both flip rates and the truly actionable count. Its only
   * uncertainty is how many flipped labels the suppressed alerts happen to hold (one-sided Clopper–Pearson
   * on their labelled-actionable share), so a sound certificate on these labels can claim no more.
   */
  known_flip_rates: number;
}

/**
 * What the labels allow, apart from the model: the largest share of `labels` a perfect ranking suppresses
 * with its FNR upper bound at `confidence` within `fnrTarget`, under Hush's certificate and under one that
 * knows the flip rates. The truly-noise alerts rank below the actionable ones, and in each part the wrong
 * labels are spaced evenly (the count they have, where no draw is luckier than another). Null without a
 * truly actionable alert.
 */
export function certificationCeiling(labels: readonly JudgedLabel[], fnrTarget = DEFAULT_EVALUATION_POLICY.fnrTarget, confidence = 0.95): CertificationCeiling | null {
  const noise = labels.filter((l) => !l.actionable);
  const actionable = labels.length - noise.length;
  if (actionable === 0) return null;
  const flips = noise.filter((l) => l.labelledActionable).length;
  const actionableLabelledNoise = labels.filter((l) => l.actionable && !l.labelledActionable).length;
  const n = labels.length;
  const labelled = new Float64Array(n);
  spread(labelled, 0, noise.length, flips);
  spread(labelled, noise.length, actionable, actionable - actionableLabelledNoise);
  const labelledActionable = flips + actionable - actionableLabelledNoise;
  const flipRate = noise.length === 0 ? 0 : flips / noise.length;
  const actionableFlipRate = actionableLabelledNoise / actionable;

  const estimate = estimateLabelNoise(
    Float64Array.from(labelled, (_, i) => i),
    labelled,
    { maxRate: DEFAULT_EVALUATION_POLICY.maxLabelNoise, confidence },
  );
  const hushWithin = (k: number, missed: number): boolean => correctedFnr({ alerts: n, suppressed: k, actionable: labelledActionable, missed }, estimate, confidence).upper <= fnrTarget;
  // Labelled-actionable share of the suppressed alerts at its upper limit, less the flips expected among
  // them, over the share of truly actionable alerts labelled so: their truly actionable count.
  const knownWithin = (k: number, missed: number): boolean =>
    (Math.max(0, clopperPearsonUpper(missed, k, confidence) - flipRate) * k) / (1 - flipRate - actionableFlipRate) <= fnrTarget * actionable;

  let hush = 0;
  let known = 0;
  let missed = 0;
  // Every threshold on its own, as if each were the only one tested (more than Hush's fixed-sequence
  // testing grants), so the figures bound it from above.
  for (let k = 1; k <= n; k++) {
    missed += labelled[k - 1] as number;
    if (hushWithin(k, missed)) hush = k;
    if (knownWithin(k, missed)) known = k;
  }
  return { alerts: n, actionable, labelled_actionable: labelledActionable, flip_rate: flipRate, perfect_ranking: hush / n, known_flip_rates: known / n };
}

/** Sets `count` of the `length` entries from `from` to 1, evenly spaced. */
function spread(into: Float64Array, from: number, length: number, count: number): void {
  for (let i = 0; i < length; i++) into[from + i] = Math.floor(((i + 1) * count) / length) - Math.floor((i * count) / length);
}
