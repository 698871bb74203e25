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
 * One-sided bounds of the true FNR at `confidence`: {@link correctedFnr}'s under label noise `noise`,
 * else Clopper–Pearson on the labels as they are. The promotion, re-certification, rollback and
 * retraining rules all judge the FNR through this.
 */
export function fnrBounds(counts: LabelledCounts, confidence: number, noise: LabelNoise | null | undefined): { lower: number; upper: number } {
  if (noise === null || noise === undefined) {
    return { lower: clopperPearsonLower(counts.missed, counts.actionable, confidence), upper: clopperPearsonUpper(counts.missed, counts.actionable, confidence) };
  }
  const { lower, upper } = correctedFnr(counts, noise, confidence);
  return { lower, upper };
}

/**
 * The true FNR estimated from labelled counts under label noise `noise`. Each one-sided bound holds
 * at `confidence` for both unknowns together: its α is split evenly (Bonferroni) between the labelled
 * share of the suppressed alerts (Clopper–Pearson) and ρ (Clopper–Pearson on the anchors), and the bound
 * is the extreme of the corrected FNR over ρ's interval (the FNR is monotone in ρ, so one end attains
 * it). Taken at its point estimate, ρ's sampling error alone (about ±0.7 points on 2,500 anchors) moves
 * the corrected misses of 2,500 suppressed alerts by more than a 1% budget of a few thousand actionable
 * alerts allows. The bounds still assume the anchors are pure noise (docs/evaluation.md: where that fails).
 */
export function correctedFnr(counts: LabelledCounts, noise: LabelNoise, confidence = 0.95): CorrectedFnr {
  const { alerts, suppressed, actionable, missed } = counts;
  assertBinomialCounts(suppressed, alerts);
  assertBinomialCounts(actionable, alerts);
  assertBinomialCounts(missed, suppressed);
  assertOpenUnit('confidence', confidence);
  const point = correctedRatio(counts, noise.rate, missed / Math.max(suppressed, 1));
  if (point === null) return { fnr: null, upper: 1, lower: 0 };
  if (suppressed === 0) return { fnr: 0, upper: 0, lower: 0 };
  const split = 1 - (1 - confidence) / 2;
  const rho = rateInterval(noise, split);
  const missUpper = clopperPearsonUpper(missed, suppressed, split);
  const missLower = clopperPearsonLower(missed, suppressed, split);
  // With no truly actionable alert left at some ρ in the interval, the FNR is unknown there: [0, 1].
  const upperAt = (rate: number): number => correctedRatio(counts, rate, missUpper) ?? 1;
  const lowerAt = (rate: number): number => correctedRatio(counts, rate, missLower) ?? 0;
  return {
    fnr: point,
    upper: Math.max(upperAt(rho.lower), upperAt(rho.upper)),
    lower: Math.min(lowerAt(rho.lower), lowerAt(rho.upper)),
  };
}

/**
 * ρ's one-sided limits at `confidence` from the anchor counts; the point estimate without anchors. When
 * the anchors' actionable share reaches `maxRate`, they hold more actionable labels than plausible label
 * noise: they are not pure noise (the model ranks truly actionable alerts at the bottom), the data says
 * nothing about how low ρ may be, and the lower limit is 0 (no correction: labels as they are). Capping
 * ρ at `maxRate` there instead would take the most favourable noise rate exactly when the estimate is
 * least trustworthy.
 */
function rateInterval(noise: LabelNoise, confidence: number): { lower: number; upper: number } {
  if (noise.anchors === 0) return { lower: noise.rate, upper: noise.rate };
  const lower = clopperPearsonLower(noise.anchorsActionable, noise.anchors, confidence);
  const upper = clopperPearsonUpper(noise.anchorsActionable, noise.anchors, confidence);
  return { lower: noise.anchorsActionable >= noise.maxRate * noise.anchors ? 0 : Math.min(lower, noise.rate), upper: Math.min(Math.max(upper, noise.rate), noise.maxRate) };
}

/**
 * Truly actionable among the suppressed / truly actionable among all, at noise rate `rate`, when the
 * labelled-actionable share of the suppressed alerts is `share`; null when no alert is truly actionable.
 */
function correctedRatio(counts: LabelledCounts, rate: number, share: number): number | null {
  const trulyActionable = (labelledShare: number, n: number): number => Math.max(0, (labelledShare - rate) * n);
  const all = counts.alerts === 0 ? 0 : trulyActionable(counts.actionable / counts.alerts, counts.alerts);
  if (all === 0) return null;
  return Math.min(1, trulyActionable(share, counts.suppressed) / all);
}
