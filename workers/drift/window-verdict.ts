import { featureDriftRole, type FeatureDriftRole } from '../scoring/feature-schema.js';
import type { DriftOptions } from './drift-options.js';
import { judgeFeatures, type FeatureDrift, type FeatureWindowStats } from './feature-drift.js';
import type { FeatureProfile } from '../training/reference-profile.js';

/** A judged feature with its drift role, and whether it counts toward dataset drift (`behaviour` only). */
export interface WindowFeature extends FeatureDrift {
  role: FeatureDriftRole;
  inShare: boolean;
}

/** The consensus on one window: every judged feature, and whether the dataset drifted. */
export interface WindowVerdict {
  /** Every judged feature, in profile order, those outside the share included. */
  features: WindowFeature[];
  /** Judged features that count toward the share. */
  counted: number;
  /** Drifted features that count toward the share. */
  drifted: WindowFeature[];
  /** Drifted ÷ counted features (0 when none was counted). */
  driftedShare: number;
  /** At least one feature counted, and the drifted share ≥ `driftShare`. */
  datasetDrift: boolean;
}

/**
 * Judges a window's features against their profiles and applies the dataset-drift share to the
 * `behaviour` features (docs/drift.md). Calendar and history features are judged and reported but do not
 * count; they are a separate Benjamini–Hochberg family, so their p-values cannot loosen the others'.
 */
export function judgeWindow(profiles: readonly FeatureProfile[], stats: readonly (FeatureWindowStats | null)[], options: DriftOptions): WindowVerdict {
  const order = new Map(profiles.map((profile, i) => [profile.name, i]));
  const features = [true, false].flatMap((inShare) => {
    const family = profiles.flatMap((profile, i) => ((featureDriftRole(profile.name) === 'behaviour') === inShare ? [i] : []));
    return judgeFeatures(family.map((i) => profiles[i] as FeatureProfile), family.map((i) => stats[i] ?? null), options)
      .map((feature): WindowFeature => ({ ...feature, role: featureDriftRole(feature.name), inShare }));
  }).sort((a, b) => (order.get(a.name) as number) - (order.get(b.name) as number));
  const counted = features.filter((f) => f.inShare);
  const drifted = counted.filter((f) => f.drifted);
  const driftedShare = counted.length > 0 ? drifted.length / counted.length : 0;
  return { features, counted: counted.length, drifted, driftedShare, datasetDrift: counted.length > 0 && driftedShare >= options.driftShare };
}
