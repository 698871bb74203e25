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
  for (const setting of thresholdSettings(history, modelId)) {
    const baseline = fromFigures(setting);
    if (baseline !== null || setting.source === 'promotion') return baseline;
  }
  return null;
}

/** An event of the registry history that set a model's serving thresholds, and what it recorded. */
export interface ThresholdSetting {
  source: ServingBaseline['source'];
  /** When the event was recorded (ISO). */
  at: string;
  /** The figures measured at those thresholds: judgeChallenger's `challenger`, or the re-certification's. */
  figures: unknown;
  labelNoise: unknown;
  /** The optimiser's decisions behind the thresholds. */
  decisions: unknown;
}

/**
 * The events of `history` that set `modelId`'s serving thresholds, newest first: its `promote` events,
 * and `reject` or `recertify` events whose evidence under {@link RECERTIFIED_EVIDENCE_KEY} names it.
 * `servingBaseline` reads their figures, `servingThresholds` their decisions.
 */
export function* thresholdSettings(history: readonly ModelEvent[], modelId: string): Generator<ThresholdSetting> {
  for (let i = history.length - 1; i >= 0; i--) {
    const { action, at, evidence, modelId: eventModel } = history[i] as ModelEvent;
    if (action === 'promote' && eventModel === modelId) {
      yield { source: 'promotion', at, figures: evidence.challenger, labelNoise: evidence.labelNoise, decisions: evidence.thresholds };
    }
    const recertified = evidence[RECERTIFIED_EVIDENCE_KEY] as { modelId?: unknown; labelNoise?: unknown; thresholds?: unknown } | undefined;
    if ((action === 'reject' || action === 'recertify') && recertified?.modelId === modelId) {
      yield { source: 're-certification', at, figures: recertified, labelNoise: recertified.labelNoise, decisions: recertified.thresholds };
    }
  }
}

function fromFigures({ figures, labelNoise, source, at }: ThresholdSetting): ServingBaseline | null {
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
