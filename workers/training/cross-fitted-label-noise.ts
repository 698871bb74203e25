import { estimateLabelNoise } from '../../shared/evaluation/label-noise.js';
import type { ModelEvent } from '../../shared/models/model-registry.js';
import { selectLabelledRows, type LabelledSet } from './dataset.js';
import type { Trainer, TrainingProgress } from './trainer.js';
import { trainingLabelNoise, type CrossFittedLabelNoise, type TrainingLabelNoise } from './training-label-noise.js';

/** Folds of the cross-fit: each fold model trains on the other half of the rows. */
export const CROSS_FIT_FOLDS = 2;

/**
 * Estimates the label noise a training should correct for when no usable estimate is recorded (a tenant's
 * first training, or one after evaluations whose estimates all reached their cap). Every training row is scored by a model that did not train on it (rows split into
 * {@link CROSS_FIT_FOLDS} interleaved folds, one model per fold trained on the others, without label
 * noise correction), and ρ is read from the lowest-scored rows as the evaluation reads it
 * (`estimateLabelNoise`). Out-of-fold scores matter: a model scoring its own training rows fits their
 * flipped labels and hides them from the anchors.
 */
export async function crossFittedLabelNoise(
  trainer: Trainer,
  set: LabelledSet,
  params: Readonly<Record<string, number>>,
  onProgress?: (progress: TrainingProgress) => void,
): Promise<CrossFittedLabelNoise> {
  const outOfFold = new Float32Array(set.nRows);
  for (let fold = 0; fold < CROSS_FIT_FOLDS; fold++) {
    const inFold = (row: number): boolean => row % CROSS_FIT_FOLDS === fold;
    const rows = Array.from({ length: set.nRows }, (_, row) => row);
    const scored = rows.filter(inFold);
    const model = await trainer.train(selectLabelledRows(set, rows.filter((row) => !inFold(row))), { ...params, label_noise: 0 }, (p) =>
      onProgress?.({ fraction: (fold + p.fraction) / CROSS_FIT_FOLDS, stage: `estimating label noise, fold ${fold + 1}/${CROSS_FIT_FOLDS}: ${p.stage}` }),
    );
    const held = selectLabelledRows(set, scored);
    const scores = model.predict(held.features, held.nRows);
    scored.forEach((row, i) => (outOfFold[row] = scores[i] as number));
  }
  const estimate = estimateLabelNoise(outOfFold, set.labels);
  return {
    rate: estimate.rate >= estimate.maxRate ? 0 : estimate.rate,
    measured: estimate.rate,
    anchors: estimate.anchors,
    anchorsActionable: estimate.anchorsActionable,
    folds: CROSS_FIT_FOLDS,
  };
}

/**
 * The label noise a gbdt training corrects for, as the training worker and the retraining replay both
 * choose it: the job's or the tenant's latest evaluated estimate (`trainingLabelNoise`), else, with none
 * recorded, the cross-fit's on the training rows (`onProgress` reports only that part).
 */
export async function labelNoiseToCorrect(
  trainer: Trainer,
  set: LabelledSet,
  params: Readonly<Record<string, number>>,
  history: readonly ModelEvent[],
  onProgress?: (progress: TrainingProgress) => void,
): Promise<TrainingLabelNoise> {
  const recorded = trainingLabelNoise(params, history);
  if (recorded.source !== 'none') return recorded;
  const crossFit = await crossFittedLabelNoise(trainer, set, params, onProgress);
  return { rate: crossFit.rate, source: 'cross-fit', crossFit };
}
