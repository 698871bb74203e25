import type { LabelNoise } from '../../shared/evaluation/label-noise.js';
import type { ModelEvent } from '../../shared/models/model-registry.js';

/** What a champion's promotion measured, that the live figures are judged against. */
export interface PromotionBaseline {
  /** Noise reduction on the labelled evaluation alerts at the per-service thresholds it serves with. */
  noiseReduction: number;
  /** The label-noise estimate of that evaluation (the model's scores on thousands of anchors); null when none was recorded. */
  labelNoise: LabelNoise | null;
  /** When it was promoted (ISO). */
  at: string;
}

/**
 * The latest `promote` event of `modelId` in the registry history and the figures its evidence holds
 * (judgeChallenger's `challenger.noiseReduction` and `labelNoise`, the reference `judgeChampion` uses);
 * null when the model was never promoted with evidence (e.g. by hand). A `rollback` event reinstating
 * the model holds the rollback's evidence, not these, so the promotion before it is the one that counts.
 */
export function promotionBaseline(history: readonly ModelEvent[], modelId: string): PromotionBaseline | null {
  const event = [...history].reverse().find((e) => e.action === 'promote' && e.modelId === modelId);
  const challenger = event?.evidence.challenger as { noiseReduction?: unknown } | undefined;
  if (event === undefined || typeof challenger?.noiseReduction !== 'number') return null;
  return { noiseReduction: challenger.noiseReduction, labelNoise: isLabelNoise(event.evidence.labelNoise) ? event.evidence.labelNoise : null, at: event.at };
}

function isLabelNoise(value: unknown): value is LabelNoise {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['rate', 'lower', 'upper', 'anchors', 'anchorsActionable', 'maxRate', 'confidence'].every((k) => typeof v[k] === 'number');
}
