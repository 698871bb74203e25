import type { TrainingSet } from '../../workers/training/trainer.js';
import { prng } from '../helpers/prng.js';

/** Width of {@link syntheticSet} rows. */
export const SYNTHETIC_FEATURES = 8;

/** A labelled synthetic set and the true P(actionable) of each row (what a perfect model would score). */
export interface SyntheticSet extends TrainingSet {
  readonly truth: Float64Array;
}

/**
 * Rows with a known signal: a linear part (x0, x1), a step (x2 > 0.3), an interaction (x3·x4) and a
 * small-integer feature (x6); x5 and x7 are noise. The logit is shifted so that about `prevalence` of
 * the rows are actionable, and labels are drawn from the true probabilities. Same seed, same rows.
 */
export function syntheticSet(nRows: number, options: { seed: number; prevalence?: number }): SyntheticSet {
  const random = prng(options.seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const features = new Float32Array(nRows * SYNTHETIC_FEATURES);
  const logits = new Float64Array(nRows);
  for (let r = 0; r < nRows; r += 1) {
    const x = features.subarray(r * SYNTHETIC_FEATURES, (r + 1) * SYNTHETIC_FEATURES);
    for (let f = 0; f < SYNTHETIC_FEATURES; f += 1) x[f] = f === 6 ? Math.floor(random() * 5) : normal();
    const v = (f: number): number => x[f] as number;
    logits[r] = 1.5 * v(0) - 1.2 * v(1) + (v(2) > 0.3 ? 1.5 : -0.5) + 1.0 * v(3) * v(4) + 0.4 * v(6);
  }
  const shift = shiftFor(logits, options.prevalence ?? 0.3);
  const truth = logits.map((z) => 1 / (1 + Math.exp(-(z + shift))));
  const labels = Uint8Array.from(truth, (p) => (random() < p ? 1 : 0));
  return { features, labels, nRows, nFeatures: SYNTHETIC_FEATURES, truth };
}

/** The rows `[start, end)` of a set, as a set of their own. */
export function sliceSet(set: SyntheticSet, start: number, end: number): SyntheticSet {
  return {
    features: set.features.slice(start * set.nFeatures, end * set.nFeatures),
    labels: set.labels.slice(start, end),
    nRows: end - start,
    nFeatures: set.nFeatures,
    truth: set.truth.slice(start, end),
  };
}

/** Area under the ROC curve (the product's implementation; ties count one half). */
export { rocAuc as auc } from '../../workers/training/holdout-metrics.js';

/** The logit shift giving a mean probability of `prevalence` (bisection; the mean rises with the shift). */
function shiftFor(logits: Float64Array, prevalence: number): number {
  let lo = -30;
  let hi = 30;
  for (let i = 0; i < 60; i += 1) {
    const mid = (lo + hi) / 2;
    let mean = 0;
    for (const z of logits) mean += 1 / (1 + Math.exp(-(z + mid)));
    if (mean / logits.length < prevalence) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
