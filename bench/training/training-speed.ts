import { trainerFor } from '../../workers/training/families.js';
import type { ModelFamily, TrainedModel, TrainingSet } from '../../workers/training/trainer.js';
import { wideSet } from '../../test/training/mlp-wide-set.js';

/** Features per row of the benchmark set: the scoring schema's width. */
export const BENCH_FEATURES = 24;

/**
 * The caller's parameters for a timing run: the trees without early stopping (every one of
 * `n_estimators`, 300 unless given; by default they stop on a plateau, which would time fewer), the
 * network at up to 40 epochs with its own early stopping, as `bench:training` has always timed them.
 */
export function fullRunParams(family: ModelFamily, params: Readonly<Record<string, number>>): Record<string, number> {
  return family === 'gbdt' ? { n_estimators: 300, early_stopping_rounds: 0, ...params } : { epochs: 40, ...params };
}

/** The seeded set both `bench:training` and `bench:noise` time training on: `rows` × {@link BENCH_FEATURES}. */
export function benchTrainingSet(rows: number): TrainingSet {
  return wideSet(rows, BENCH_FEATURES, 7);
}

/** Trains `family` on `set` with one thread, as the training worker does; the model and the seconds it took. */
export async function timeTraining(family: ModelFamily, set: TrainingSet, params: Readonly<Record<string, number>>): Promise<{ model: TrainedModel; seconds: number }> {
  const trainer = await trainerFor(family);
  const started = performance.now();
  const model = await trainer.train(set, params);
  return { model, seconds: (performance.now() - started) / 1000 };
}
