/**
 * FNR bounds that stay sound when some labels are wrong (DESIGN §3: people mislabel a few percent of
 * alerts).
 *
 * Why the plain bound fails: most alerts are noise, so even a small share of noise alerts labelled
 * "actionable" is a large share of the actionable labels (3% of a noise-heavy stream is ~12% of its
 * actionable labels). Every suppressed noise alert then risks counting as a miss, and the labelled FNR
 * of a perfect model grows with everything it suppresses: a 1% target on labels allows almost no
 * suppression, although the true FNR is far lower.
 *
 * The correction: with ρ = P(labelled actionable | truly noise) and ρ' = P(labelled noise | truly
 * actionable), a set of n alerts with `a` truly actionable ones has E[labelled actionable] =
 * ρ·(n − a) + (1 − ρ')·a, so a = (labelled − ρ·n) / (1 − ρ − ρ'). The FNR is a ratio of two such counts
 * (actionable among the suppressed / actionable among all), so the factor 1 / (1 − ρ − ρ') cancels and
 * only ρ is needed.
 *
 * ρ is estimated on "anchor" alerts: the lowest-scored share of the labelled alerts, which a useful
 * model fills with truly-noise alerts, so their actionable labels are the flipped ones (the anchor-point
 * estimator of noisy-label learning). Label noise and model error cannot be told apart from labels
 * alone: truly actionable alerts among the anchors would raise the estimate and hide misses, so the
 * estimate is capped at `maxRate` (the largest mislabel rate the tenant believes possible).
 */
import { clopperPearsonLower, clopperPearsonUpper } from './binomial-bounds.js';
import type { LabelledCounts } from './model-figures.js';
import { assertBinomialCounts, assertFiniteAll, assertLabels, assertOpenUnit, assertSameLength, type Numbers } from './validate.js';

/** How often a truly-noise alert is labelled actionable, estimated on the lowest-scored alerts. */
export interface LabelNoise {
  /** Point estimate of ρ (capped at `maxRate`). */
  rate: number;
  /** One-sided lower and upper confidence limits of ρ at `confidence` (both capped at `maxRate`). */
  lower: number;
  upper: number;
  /** The anchor alerts and how many of them are labelled actionable. */
  anchors: number;
  anchorsActionable: number;
  maxRate: number;
  confidence: number;
}

/** Options of {@link estimateLabelNoise}. */
export interface LabelNoiseOptions {
  /**
   * Share of the labelled alerts, the lowest-scored, taken as anchors.
   * @defaultValue 0.2
   */
  anchorFraction?: number;
  /**
   * The largest plausible mislabel rate; a larger estimate is model error, not label noise, and is cut
   * to this.
   * @defaultValue 0.05
   */
  maxRate?: number;
  /** @defaultValue 0.95 */
  confidence?: number;
}

const DEFAULTS = { anchorFraction: 0.2, maxRate: 0.05, confidence: 0.95 } as const;

/** Estimates ρ from one model's scores on labelled alerts (1 = actionable). */
export function estimateLabelNoise(scores: Numbers, labels: Numbers, options: LabelNoiseOptions = {}): LabelNoise {
  const o = { ...DEFAULTS, ...options };
  assertOpenUnit('anchorFraction', o.anchorFraction);
  assertOpenUnit('maxRate', o.maxRate);
  assertOpenUnit('confidence', o.confidence);
  assertSameLength('scores', scores, 'labels', labels);
  assertFiniteAll('scores', scores);
  assertLabels('labels', labels);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  const anchors = Math.floor(order.length * o.anchorFraction);
  let anchorsActionable = 0;
  for (let k = 0; k < anchors; k++) anchorsActionable += labels[order[k] as number] as number;
  const cap = (x: number): number => Math.min(x, o.maxRate);
  if (anchors === 0) return { rate: 0, lower: 0, upper: cap(1), anchors, anchorsActionable, maxRate: o.maxRate, confidence: o.confidence };
  return {
    rate: cap(anchorsActionable / anchors),
    lower: cap(clopperPearsonLower(anchorsActionable, anchors, o.confidence)),
    upper: cap(clopperPearsonUpper(anchorsActionable, anchors, o.confidence)),
    anchors,
    anchorsActionable,
    maxRate: o.maxRate,
    confidence: o.confidence,
  };
}


/** The FNR corrected for label noise: point estimate and one-sided bounds. */
export interface CorrectedFnr {
  /** null when no alert is estimated to be truly actionable. */
  fnr: number | null;
  /** Upper bound: the promotion and threshold rules compare it with the target. */
  upper: number;
  /** Lower bound: the rollback rule compares it with the target. */
  lower: number;
}

/**
 * The true FNR estimated from labelled counts under label noise `noise`. The bounds are one-sided
 * Clopper–Pearson limits (at `confidence`) of the labelled-actionable share among the suppressed
 * alerts, corrected with the point estimate of ρ. They are conditional on ρ: compounding ρ's own
 * interval (reported beside them) would make every threshold infeasible at realistic label counts —
 * with ~2,000 anchors ρ is known to ±0.7 points, which alone exceeds a 1% FNR budget at any useful
 * suppression.
 */
export function correctedFnr(counts: LabelledCounts, noise: LabelNoise, confidence = 0.95): CorrectedFnr {
  const { alerts, suppressed, actionable, missed } = counts;
  assertBinomialCounts(suppressed, alerts);
  assertBinomialCounts(actionable, alerts);
  assertBinomialCounts(missed, suppressed);
  assertOpenUnit('confidence', confidence);
  // Truly actionable alerts among n alerts whose labelled-actionable share is `share`.
  const trulyActionable = (share: number, n: number): number => Math.max(0, (share - noise.rate) * n);
  const all = alerts === 0 ? 0 : trulyActionable(actionable / alerts, alerts);
  if (all === 0) return { fnr: null, upper: 1, lower: 0 };
  if (suppressed === 0) return { fnr: 0, upper: 0, lower: 0 };
  const ratio = (share: number): number => Math.min(1, trulyActionable(share, suppressed) / all);
  return {
    fnr: ratio(missed / suppressed),
    upper: ratio(clopperPearsonUpper(missed, suppressed, confidence)),
    lower: ratio(clopperPearsonLower(missed, suppressed, confidence)),
  };
}
