import type { RowWeights } from './row-weights.js';

/** One file's anomaly scores beside its row weights under one profile. */
export interface ScoredRows extends RowWeights {
  scores: ArrayLike<number>;
}
