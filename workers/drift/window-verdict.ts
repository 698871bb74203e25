import type { DriftOptions } from './drift-options.js';
import { judgeFeatures, type FeatureDrift, type FeatureWindowStats } from './feature-drift.js';
import type { FeatureProfile } from '../training/reference-profile.js';

/** The consensus on one window: every judged feature, and whether the dataset drifted. */
export interface WindowVerdict {
  features: FeatureDrift[];
  drifted: FeatureDrift[];
  /** Drifted ÷ judged features (0 when none was judged). */
  driftedShare: number;
  /** At least one feature judged, and the drifted share ≥ `driftShare`. */
  datasetDrift: boolean;
}

/** Judges a window's features against their profiles and applies the dataset-drift share (docs/drift.md). */
export function judgeWindow(profiles: readonly FeatureProfile[], stats: readonly (FeatureWindowStats | null)[], options: DriftOptions): WindowVerdict {
  const features = judgeFeatures(profiles, stats, options);
  const drifted = features.filter((f) => f.drifted);
  const driftedShare = features.length > 0 ? drifted.length / features.length : 0;
  return { features, drifted, driftedShare, datasetDrift: features.length > 0 && driftedShare >= options.driftShare };
}
