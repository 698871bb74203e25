import { HushError } from '../../shared/errors/index.js';
import type { TrainingSet } from './trainer.js';

/** Refuses a set no model can be trained on, naming the field at fault (`HUSH_ERR_VALIDATION`). */
export function checkTrainingSet(set: TrainingSet): void {
  const fail = (message: string): never => {
    throw new HushError('HUSH_ERR_VALIDATION', `training set: ${message}`);
  };
  if (!Number.isInteger(set.nRows) || set.nRows < 2) fail(`nRows must be an integer ≥ 2, got ${set.nRows}`);
  if (!Number.isInteger(set.nFeatures) || set.nFeatures < 1) fail(`nFeatures must be a positive integer, got ${set.nFeatures}`);
  if (set.features.length !== set.nRows * set.nFeatures) {
    fail(`features has ${set.features.length} values, expected nRows × nFeatures = ${set.nRows * set.nFeatures}`);
  }
  if (set.labels.length !== set.nRows) fail(`labels has ${set.labels.length} values, expected nRows = ${set.nRows}`);
  let positives = 0;
  for (let r = 0; r < set.nRows; r += 1) {
    const label = set.labels[r] as number;
    if (label > 1) fail(`labels[${r}] is ${label}; labels are 0 (noise) or 1 (actionable)`);
    positives += label;
  }
  if (positives === 0 || positives === set.nRows) fail(`labels must hold both classes, got ${positives} actionable of ${set.nRows}`);
  const { weights } = set;
  if (weights !== undefined) {
    if (weights.length !== set.nRows) fail(`weights has ${weights.length} values, expected nRows = ${set.nRows}`);
    for (let r = 0; r < set.nRows; r += 1) {
      const w = weights[r] as number;
      if (!Number.isFinite(w) || w < 0) fail(`weights[${r}] is ${w}; weights are finite and ≥ 0`);
    }
  }
}
