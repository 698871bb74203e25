import { DRIFT_PROFILE_VERSION, type FeatureProfile, type ReferenceProfile } from '../training/reference-profile.js';

/**
 * The stored profile as a {@link ReferenceProfile} with the drift fields, or the reason it cannot be
 * compared (profiles of models trained before those fields existed, or damaged JSON).
 */
export function guardReferenceProfile(value: unknown): ReferenceProfile | string {
  if (typeof value !== 'object' || value === null) return 'the model has no reference profile';
  const profile = value as Partial<ReferenceProfile>;
  if (profile.driftVersion !== DRIFT_PROFILE_VERSION) return `the model's reference profile predates drift fields (driftVersion ${String(profile.driftVersion)}, need ${DRIFT_PROFILE_VERSION}); retrain to compare`;
  if (!Array.isArray(profile.features) || profile.features.length === 0) return 'the reference profile has no features';
  if (typeof profile.rows !== 'number' || typeof profile.positives !== 'number' || typeof profile.featureSchemaVersion !== 'number') return 'the reference profile lacks rows, positives or featureSchemaVersion';
  for (const [i, f] of profile.features.entries()) {
    const feature = f as Partial<FeatureProfile>;
    if (!feature.psi || !Array.isArray(feature.psi.edges) || !Array.isArray(feature.psi.counts) || !Array.isArray(feature.grid) || typeof feature.sample !== 'string') {
      return `reference profile feature ${i} lacks psi, grid or sample`;
    }
    if (feature.psi.counts.length !== feature.psi.edges.length + 1) return `reference profile feature ${i} has ${feature.psi.counts.length} PSI counts for ${feature.psi.edges.length} edges`;
  }
  return profile as ReferenceProfile;
}
