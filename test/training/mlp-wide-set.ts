import type { TrainingSet } from '../../workers/training/trainer.js';
import { prng } from '../helpers/prng.js';

/**
 * A wide set for timing the MLP: features uniform in [−1, 1], labels drawn from a logit with a linear part
 * and an interaction (x0, x1, x2·x3); the other features are noise. Same seed, same rows.
 */
export function wideSet(nRows: number, nFeatures: number, seed: number): TrainingSet {
  const random = prng(seed);
  const features = Float32Array.from({ length: nRows * nFeatures }, () => random() * 2 - 1);
  const labels = Uint8Array.from({ length: nRows }, (_, r) => {
    const x = features.subarray(r * nFeatures, (r + 1) * nFeatures);
    const z = 2 * (x[0] as number) - (x[1] as number) + 3 * (x[2] as number) * (x[3] as number) - 1.5;
    return random() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  });
  return { features, labels, nRows, nFeatures };
}
