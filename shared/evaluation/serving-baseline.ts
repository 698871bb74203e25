import type { ModelEvent } from '../models/model-registry.js';
import { isDailySpread, type DailySpread } from './daily-spread.js';
import type { LabelNoise } from './label-noise.js';
import type { RecertificationDecision } from './recertification.js';

/**
 * Key of the evidence under which the evaluation records a champion's re-certified thresholds: in the
 * `reject` of a challenger when it kept the champion, in a `recertify` event when it re-tuned them on schedule.
 */
export const RECERTIFIED_EVIDENCE_KEY = 'recertified';

/** What a `reject` or `recertify` event records when the champion's re-tuned thresholds were certified and applied. */
export type RecertifiedEvidence = RecertificationDecision['evidence'] & {
  /** How the noise reduction at the re-tuned thresholds varied between the judging alerts' days. */
  dailySpread: DailySpread | null;
  /** The champion whose thresholds were applied. */
  modelId: string;
  /** The optimiser's per-service decisions behind them. */
  thresholds: Record<string, unknown>;
};

/** What the evaluation measured for a model at the thresholds it serves with: the reference of its live figures. */
export interface ServingBaseline {
  /** Noise reduction on the labelled evaluation alerts at those thresholds. */
  noiseReduction: number;
  /** Labelled FNR there; null when not recorded. */
  fnr: number | null;
  /** The label-noise estimate of that evaluation (the model's scores on thousands of anchors); null when none was recorded. */
  labelNoise: LabelNoise | null;
  /** How much the noise reduction varied between the evaluation's days; null when not recorded (too few days). */
  dailySpread: DailySpread | null;
  /** `promotion`: the thresholds it was promoted with; `re-certification`: thresholds re-tuned when an evaluation kept it, or on schedule. */
  source: 'promotion' | 're-certification';
  /** When the thresholds were applied (ISO): live decisions before it were made with other thresholds. */
  at: string;
}

/**
 * The latest event of the registry history that set `modelId`'s serving thresholds, and what it
 * measured: its `promote` (judgeChallenger's `challenger` figures, with their `dailySpread`, and
 * `labelNoise`), or a later one that applied re-certified thresholds for it (evidence under
 * {@link RECERTIFIED_EVIDENCE_KEY} naming `modelId`): the `reject` of a challenger whose evaluation kept
 * `modelId`, or a `recertify` that re-tuned them on schedule. Null when the model was never promoted with
 * evidence (e.g. by hand). A `rollback` event reinstating the model holds the rollback's evidence, not
 * these, so the event before it is the one that counts.
 */
export function servingBaseline(history: readonly ModelEvent[], modelId: string): ServingBaseline | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const event = history[i] as ModelEvent;
    if (event.action === 'promote' && event.modelId === modelId) {
      return fromFigures(event.evidence.challenger, event.evidence.labelNoise, 'promotion', event.at);
    }
    const recertified = event.evidence[RECERTIFIED_EVIDENCE_KEY] as { modelId?: unknown; labelNoise?: unknown } | undefined;
    if ((event.action === 'reject' || event.action === 'recertify') && recertified?.modelId === modelId) {
      const baseline = fromFigures(recertified, recertified.labelNoise, 're-certification', event.at);
      if (baseline !== null) return baseline;
    }
  }
  return null;
}

function fromFigures(figures: unknown, labelNoise: unknown, source: ServingBaseline['source'], at: string): ServingBaseline | null {
  const f = figures as { noiseReduction?: unknown; fnr?: unknown; dailySpread?: unknown } | undefined;
  if (typeof f?.noiseReduction !== 'number') return null;
  return {
    noiseReduction: f.noiseReduction,
    fnr: typeof f.fnr === 'number' ? f.fnr : null,
    labelNoise: isLabelNoise(labelNoise) ? labelNoise : null,
    dailySpread: isDailySpread(f.dailySpread) ? f.dailySpread : null,
    source,
    at,
  };
}

function isLabelNoise(value: unknown): value is LabelNoise {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['rate', 'lower', 'upper', 'anchors', 'anchorsActionable', 'maxRate', 'confidence'].every((k) => typeof v[k] === 'number');
}
