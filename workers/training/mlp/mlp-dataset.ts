import { HushError } from '../../../shared/errors/index.js';
import type { TrainingSet } from '../trainer.js';
import type { Standardisation } from './mlp-network.js';

/** Rows ready for the network: standardised features, 0/1 targets and per-row loss weights. */
export interface MlpRows {
  readonly nRows: number;
  /** Row-major [nRows, nFeatures], already standardised. */
  readonly features: Float32Array;
  readonly targets: Float32Array;
  readonly weights: Float32Array;
}

/** Refuses NaN and ±Infinity: unlike trees, a network has no branch for a missing value. */
export function checkFiniteFeatures(set: TrainingSet): void {
  const index = set.features.findIndex((x) => !Number.isFinite(x));
  if (index >= 0) {
    throw new HushError(
      'HUSH_ERR_VALIDATION',
      `training set: features[${index}] (row ${Math.floor(index / set.nFeatures)}, feature ${index % set.nFeatures}) is ${set.features[index]}; the mlp family needs finite features`,
    );
  }
}

/** Mean and standard deviation of each feature over `rows`; a constant feature keeps std 1 so it is only centred. */
export function fitStandardisation(set: TrainingSet, rows: Uint32Array): Standardisation {
  const { nFeatures } = set;
  // Two passes (mean, then squared deviations) so a large offset does not cancel the variance away.
  const mean = columnMeans(set, rows, (_f, x) => x);
  const variance = columnMeans(set, rows, (f, x) => (x - (mean[f] as number)) ** 2);
  const std = new Float64Array(nFeatures);
  for (let f = 0; f < nFeatures; f += 1) {
    const s = Math.sqrt(variance[f] as number);
    // A spread below float32 resolution of the mean is a constant feature; dividing would amplify rounding noise.
    std[f] = s > 1e-6 * Math.max(Math.abs(mean[f] as number), 1) ? s : 1;
  }
  return { mean: Float32Array.from(mean), std: Float32Array.from(std) };
}

function columnMeans(set: TrainingSet, rows: Uint32Array, value: (feature: number, x: number) => number): Float64Array {
  const { nFeatures, features } = set;
  const sum = new Float64Array(nFeatures);
  for (const row of rows) {
    for (let f = 0; f < nFeatures; f += 1) sum[f] = (sum[f] as number) + value(f, features[row * nFeatures + f] as number);
  }
  return sum.map((total) => total / rows.length);
}

/**
 * Weight of an actionable row relative to a noise row: `posWeight` when given (> 0), otherwise the one that
 * balances the classes' summed sample weights over `rows`.
 */
export function positiveClassWeight(set: TrainingSet, rows: Uint32Array, posWeight: number): number {
  if (posWeight > 0) return posWeight;
  let positive = 0;
  let negative = 0;
  for (const row of rows) {
    const w = set.weights?.[row] ?? 1;
    if (set.labels[row] === 1) positive += w;
    else negative += w;
  }
  return positive > 0 && negative > 0 ? negative / positive : 1;
}

/** Gathers `rows` of the set, standardised, with their loss weights (sample weight × class weight). */
export function gatherRows(set: TrainingSet, rows: Uint32Array, standardisation: Standardisation, positiveWeight: number): MlpRows {
  const { nFeatures } = set;
  const { mean, std } = standardisation;
  const features = new Float32Array(rows.length * nFeatures);
  const targets = new Float32Array(rows.length);
  const weights = new Float32Array(rows.length);
  rows.forEach((row, i) => {
    for (let f = 0; f < nFeatures; f += 1) {
      features[i * nFeatures + f] = ((set.features[row * nFeatures + f] as number) - (mean[f] as number)) / (std[f] as number);
    }
    const label = set.labels[row] === 1 ? 1 : 0;
    targets[i] = label;
    weights[i] = (set.weights?.[row] ?? 1) * (label === 1 ? positiveWeight : 1);
  });
  return { nRows: rows.length, features, targets, weights };
}
