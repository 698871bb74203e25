import type { ClickHouseClient } from '@clickhouse/client';
import type { TrainingJob, TrainingJobProgress, TrainingJobResult } from '../../queues/jobs.js';
import type { ModelRegistry } from '../../shared/models/model-registry.js';
import { FEATURES, FEATURE_COUNT, FEATURE_SCHEMA_VERSION } from '../scoring/feature-schema.js';
import { assembleDataset } from './dataset.js';
import { trainerFor } from './families.js';
import { holdoutMetrics } from './holdout-metrics.js';
import { referenceProfile } from './reference-profile.js';
import { labelNoiseToCorrect } from './cross-fitted-label-noise.js';

/** What a training run needs from its process. */
export interface TrainingDependencies {
  clickhouse: ClickHouseClient;
  registry: ModelRegistry;
  /** Threshold the holdout figures are reported at until the optimiser sets per-service ones. */
  defaultThreshold: number;
}

/**
 * The most recent share of labelled alerts kept out of training. Evaluation tunes thresholds on one half
 * of these and judges on the other. Half, because the label-noise-corrected FNR bound needs many
 * actionable labels before it allows real suppression (its slack grows with the square root of what is
 * suppressed), while the trees gain little from the second half of a week of history.
 */
export const HOLDOUT_FRACTION = 0.5;

// Shares of the progress bar: reading the dataset, training, evaluating and registering.
const DATASET_SHARE = 0.1;
const TRAIN_SHARE = 0.8;

/**
 * One training run: dataset from ClickHouse (stored features ⨝ outcomes, time-ordered split), train the
 * family (gbdt: correcting for the label noise of `labelNoiseToCorrect`, recorded in the metrics), score
 * the holdout through the exported ONNX path's twin (`predict`), profile the training features, register
 * the model as challenger. Promotion is the evaluation worker's decision, not this.
 */
export async function runTraining(job: TrainingJob, deps: TrainingDependencies, report: (progress: TrainingJobProgress) => void): Promise<TrainingJobResult> {
  report({ fraction: 0, stage: 'reading labelled alerts' });
  const dataset = await assembleDataset(deps.clickhouse, { tenant: job.tenant, featureSchemaVersion: FEATURE_SCHEMA_VERSION, nFeatures: FEATURE_COUNT, holdoutFraction: HOLDOUT_FRACTION });
  const trainer = await trainerFor(job.family);
  const started = performance.now();
  // The trees correct their loss for the label noise the evaluation last measured (job params win); before
  // any evaluation, for the one the training measures on its own rows (a cross-fit: one more training's
  // time, shown as the first half of the training's progress).
  const labelNoise =
    job.family === 'gbdt'
      ? await labelNoiseToCorrect(trainer, dataset.train, job.params, await deps.registry.history(job.tenant, job.kind), (p) =>
          report({ fraction: DATASET_SHARE + (TRAIN_SHARE / 2) * p.fraction, stage: p.stage }),
        )
      : null;
  const params = labelNoise === null ? job.params : { ...job.params, label_noise: labelNoise.rate };
  const trainShare = labelNoise?.source === 'cross-fit' ? TRAIN_SHARE / 2 : TRAIN_SHARE;
  const trainFrom = DATASET_SHARE + TRAIN_SHARE - trainShare;
  report({ fraction: trainFrom, stage: `training ${job.family} on ${dataset.train.nRows} alerts` });
  const model = await trainer.train(dataset.train, params, (p) => report({ fraction: trainFrom + trainShare * p.fraction, stage: p.stage }));
  const trainSeconds = (performance.now() - started) / 1000;
  report({ fraction: DATASET_SHARE + TRAIN_SHARE, stage: `evaluating on ${dataset.holdout.nRows} holdout alerts` });
  const holdout = holdoutMetrics(model.predict(dataset.holdout.features, dataset.holdout.nRows), dataset.holdout.labels, deps.defaultThreshold);
  const metrics = {
    params: model.params,
    trainRows: dataset.train.nRows,
    trainSeconds: Math.round(trainSeconds * 1000) / 1000,
    holdout,
    requestedBy: job.requestedBy,
    ...(labelNoise === null ? {} : { trainingLabelNoise: labelNoise }),
  };
  const { modelId, version } = await deps.registry.register({
    tenant: job.tenant,
    kind: job.kind,
    family: job.family,
    onnx: model.onnx,
    featureSchemaVersion: FEATURE_SCHEMA_VERSION,
    nFeatures: FEATURE_COUNT,
    metrics,
    // The holdout is not training data: evaluation reads labelled alerts after this window.
    trainingWindow: { start: dataset.train.eventTimes[0] as number, end: dataset.train.eventTimes[dataset.train.nRows - 1] as number },
    datasetHash: dataset.contentHash,
    referenceProfile: referenceProfile(dataset.train, FEATURES.map((f) => f.name), FEATURE_SCHEMA_VERSION),
  });
  report({ fraction: 1, stage: `registered ${modelId}` });
  return { modelId, version, metrics };
}
