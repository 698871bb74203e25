import { createHash } from 'node:crypto';
import type { LabelledSet } from '../training/dataset.js';
import type { ScoredParts } from './judge.js';

/** Row indices of an evaluation set, each ascending (event-time order kept). */
export interface EvaluationSplit {
  /** Rows the per-service thresholds are tuned on. */
  tune: Uint32Array;
  /** Rows champion and challenger are judged on, with those thresholds. */
  test: Uint32Array;
}

/**
 * Splits the labelled alerts after a challenger's training window into tuning and judging rows by a
 * hash of the alert id: both parts span the same days, so a weekend or an incident burst does not land
 * wholly on one side (a time split did: a tuning half of mostly weekend noise had too few actionable
 * alerts to tune on, and thresholds tuned on one mix were judged on another). Neither model was
 * trained on any of these alerts, and the thresholds never see the judging rows. Deterministic: the
 * same alert always lands on the same side. With `tuneFraction` 1 both parts are every row: thresholds
 * certified by fixed-sequence testing need no held-out alerts, so none are spent on judging.
 */
export function splitForEvaluation(set: Pick<LabelledSet, 'alertIds'>, tuneFraction: number): EvaluationSplit {
  if (tuneFraction >= 1) {
    const all = Uint32Array.from(set.alertIds, (_, row) => row);
    return { tune: all, test: all };
  }
  const tune: number[] = [];
  const test: number[] = [];
  set.alertIds.forEach((alertId, row) => (unitHash(alertId) < tuneFraction ? tune : test).push(row));
  return { tune: Uint32Array.from(tune), test: Uint32Array.from(test) };
}

/** A model's scores on a whole evaluation set as its tuning and judging parts (null: not scored, both parts null). */
export function scoredParts(scores: Float32Array, rows: EvaluationSplit): { tune: Float32Array; test: Float32Array };
export function scoredParts(scores: Float32Array | null, rows: EvaluationSplit): ScoredParts;
export function scoredParts(scores: Float32Array | null, rows: EvaluationSplit): ScoredParts {
  if (scores === null) return { tune: null, test: null };
  const pick = (part: Uint32Array): Float32Array => Float32Array.from(part, (row) => scores[row] as number);
  return { tune: pick(rows.tune), test: pick(rows.test) };
}

/** A uniform value in [0, 1) from an alert id. */
function unitHash(alertId: string): number {
  return createHash('sha1').update(alertId).digest().readUInt32BE(0) / 2 ** 32;
}
