import { RECERTIFIED_EVIDENCE_KEY } from '../../shared/evaluation/serving-baseline.js';
import type { ModelEvent } from '../../shared/models/model-registry.js';
import { MAX_LABEL_NOISE } from './gbdt/gbdt-params.js';

/** ρ estimated on a tenant's own training rows (`crossFittedLabelNoise`), and the anchors it was read from. */
export interface CrossFittedLabelNoise {
  /** The point estimate, or 0 when it reached `maxRate` (then the anchors held model error, not only flips). */
  rate: number;
  /** The estimate as measured (capped at `maxRate`), before that rule. */
  measured: number;
  anchors: number;
  anchorsActionable: number;
  folds: number;
}

/** The label-flip rate a gbdt training corrects for (its `label_noise`), and where it came from. */
export interface TrainingLabelNoise {
  rate: number;
  /**
   * `params`: the job set it; `evaluation`: the tenant's latest recorded estimate; `cross-fit`: none was
   * recorded (cold start, or only capped ones), so the training estimated it on its own rows; `none`: none
   * recorded, 0.
   */
  source: 'params' | 'evaluation' | 'cross-fit' | 'none';
  /** The registry event the estimate was read from (source `evaluation`). */
  event?: { action: ModelEvent['action']; at: string; modelId: string };
  /** The anchors of the estimate (source `cross-fit`). */
  crossFit?: CrossFittedLabelNoise;
}

/** Events the evaluation records with a label-noise estimate (a `register` records none). */
const EVALUATION_ACTIONS: ReadonlySet<ModelEvent['action']> = new Set(['promote', 'reject', 'rollback', 'recertify']);

/**
 * `label_noise` of a job's params when set; otherwise the point estimate ρ of the newest evaluation event
 * of `history` (oldest first, as `ModelRegistry.history` returns it) that records one: `labelNoise` of a
 * promotion, rejection or rollback, or of a re-certification (under `recertified` or `recertification`).
 * An estimate cut to its `maxRate` is passed over: the anchors held more than label noise (a first
 * evaluation's young challenger ranks actionable alerts at the bottom). No estimate yet (cold start): 0,
 * since overestimating ρ ranks worse than not correcting at all.
 */
export function trainingLabelNoise(params: Readonly<Record<string, number>>, history: readonly ModelEvent[]): TrainingLabelNoise {
  const explicit = params.label_noise;
  if (explicit !== undefined) return { rate: explicit, source: 'params' };
  for (let i = history.length - 1; i >= 0; i--) {
    const { action, at, modelId, evidence } = history[i] as ModelEvent;
    if (!EVALUATION_ACTIONS.has(action)) continue;
    const rate = recordedRate(evidence);
    if (rate !== null) return { rate: Math.min(rate, MAX_LABEL_NOISE), source: 'evaluation', event: { action, at, modelId } };
  }
  return { rate: 0, source: 'none' };
}

function recordedRate(evidence: Record<string, unknown>): number | null {
  for (const holder of [evidence, evidence[RECERTIFIED_EVIDENCE_KEY], evidence.recertification]) {
    const noise = (holder as { labelNoise?: { rate?: unknown; maxRate?: unknown } } | undefined)?.labelNoise;
    const rate = noise?.rate;
    // An estimate cut to its cap is model error as much as label noise, not a point estimate of ρ.
    if (typeof noise?.maxRate === 'number' && typeof rate === 'number' && rate >= noise.maxRate) continue;
    if (typeof rate === 'number' && Number.isFinite(rate) && rate >= 0) return rate;
  }
  return null;
}
