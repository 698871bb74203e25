export {
  clopperPearson,
  clopperPearsonLower,
  clopperPearsonUpper,
  minTrialsForUpperBound,
  wilson,
  type BinomialBounds,
  type BoundOptions,
  type BoundSides,
} from './binomial-bounds.js';
export { binomialCdf, binomialUpperTail } from './binomial-tail.js';
export { inverseRegularizedBeta, regularizedBeta } from './incomplete-beta.js';
export { mcnemarExact, type McNemarResult } from './mcnemar.js';
export { correctedFnr, estimateLabelNoise, type CorrectedFnr, type LabelNoise, type LabelNoiseOptions } from './label-noise.js';
export { isSuppressed, modelFigures, type LabelledCounts, type ModelFigures, type Thresholds } from './model-figures.js';
export { normalQuantile } from './normal-quantile.js';
export { comparePaired, type PairedComparison, type PairedComparisonInput, type PairedComparisonOptions } from './paired-comparison.js';
export {
  decidePromotion,
  decideRollback,
  type PromotionDecision,
  type PromotionEvidence,
  type PromotionPolicy,
  type ReferenceFigures,
  type RollbackDecision,
  type RollbackPolicy,
  type SideEvidence,
} from './promotion-policy.js';
export {
  mostMissesWithinTarget,
  optimiseTenantThresholds,
  optimiseThreshold,
  type ServiceLabels,
  type ThresholdDecision,
  type ThresholdEvidence,
  type ThresholdInput,
  type ThresholdOptimiserOptions,
  type ThresholdReason,
} from './threshold-optimiser.js';
export type { Numbers } from './validate.js';
